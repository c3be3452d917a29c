"""The small core every concept stands on: the one settings object, the database engine and sessions, migrations from code, start-up preparation, YAML reading."""
