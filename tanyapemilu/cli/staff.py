"""``tanyapemilu staff``: create staff accounts and Telegram link codes from the server's
terminal."""

from __future__ import annotations

import argparse
import getpass
import sys

from sqlmodel import select

from knowledge_base.core.db import session_scope
from knowledge_base.core.settings import Settings
from knowledge_base.staff.accounts import create_staff
from knowledge_base.staff.models import StaffRole, StaffUser
from knowledge_base.staff.telegram_link import LINK_CODE_MINUTES, issue_link_code
from tanyapemilu.cli.context import database

MIN_PASSWORD = 10


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("staff", help="staff accounts")
    verbs = parser.add_subparsers(dest="staff_command", required=True, metavar="VERB")
    create = verbs.add_parser("create", help="create an account (the first one as admin)")
    create.add_argument("username")
    create.add_argument(
        "--role",
        choices=[r.value for r in StaffRole],
        default=None,
        help="default: admin for the first account, staff after that",
    )
    create.add_argument("--full-name", default="")
    create.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    create.set_defaults(handler=run_create)
    link = verbs.add_parser(
        "link-code", help="a one-time code that links USERNAME's Telegram account (/tautkan)"
    )
    link.add_argument("username")
    link.set_defaults(handler=run_link_code)


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat password: ") != first:
        raise ValueError("the passwords differ")
    return first


def run_create(args: argparse.Namespace, settings: Settings) -> int:
    try:
        password = _password(args)
    except ValueError as exc:
        print(f"Not created: {exc}.", file=sys.stderr)
        return 1
    if len(password) < MIN_PASSWORD:
        print(f"Not created: use at least {MIN_PASSWORD} characters.", file=sys.stderr)
        return 1
    with database(settings) as engine, session_scope(engine) as session:
        if session.exec(select(StaffUser).where(StaffUser.username == args.username)).first():
            print(f"Not created: {args.username!r} already exists.", file=sys.stderr)
            return 1
        first = session.exec(select(StaffUser.id)).first() is None
        role = (
            StaffRole(args.role) if args.role else (StaffRole.ADMIN if first else StaffRole.STAFF)
        )
        create_staff(
            session,
            username=args.username,
            password=password,
            role=role,
            full_name=args.full_name,
        )
    print(f"Created {role} account {args.username!r}.")
    return 0


def run_link_code(args: argparse.Namespace, settings: Settings) -> int:
    with database(settings) as engine, session_scope(engine) as session:
        staff = session.exec(select(StaffUser).where(StaffUser.username == args.username)).first()
        if staff is None or not staff.is_active:
            print(f"No code: no active account {args.username!r}.", file=sys.stderr)
            return 1
        code = issue_link_code(session, staff)
    print(
        f"Send this to the bot in a private chat within {LINK_CODE_MINUTES} minutes "
        f"(it works once): /tautkan {code}"
    )
    return 0
