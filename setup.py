"""Packaging glue that pyproject.toml cannot express: the Alembic scripts in ``alembic/``
ship inside the wheel as the ``tanyapemilu_migrations`` package, so an installed copy can
migrate a database without the source tree. Everything else is in pyproject.toml."""

from setuptools import find_packages, setup

setup(
    packages=[
        *find_packages(include=["bot*", "knowledge_base*", "admin_api*", "tanyapemilu*"]),
        "tanyapemilu_migrations",
        "tanyapemilu_migrations.versions",
    ],
    package_dir={"tanyapemilu_migrations": "alembic"},
)
