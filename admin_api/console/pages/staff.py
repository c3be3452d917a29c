"""Staf: account management for admins — the list of accounts, a new account (a password typed
twice or a generated one shown once), a new password for someone who forgot theirs (their
sessions end), and deactivation/reactivation. Other staff get a 403 page on every route."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request, status
from starlette.responses import Response

from admin_api.console import texts
from admin_api.console.deps import ConsoleAdmin, ConsoleDb
from admin_api.console.rendering import render, see_other
from admin_api.deps import IdPath
from knowledge_base.answering.privacy import mask_personal_data
from knowledge_base.core.settings import MIN_PASSWORD_CHARS
from knowledge_base.staff.accounts import (
    AccountRefused,
    add_account,
    deactivate_account,
    generate_password,
    list_accounts,
    reactivate_account,
    reset_password,
)
from knowledge_base.staff.models import StaffRole, StaffUser

router = APIRouter()
FormText = Annotated[str, Form()]

STAFF_PATH = "/staf/staf"
ROLE_LABELS = {StaffRole.STAFF: "Staf", StaffRole.ADMIN: "Admin"}
USERNAME = re.compile(r"^[a-zA-Z0-9_.-]{3,80}$")  # the API's rule (StaffCreate)
MAX_NAME_CHARS = 160

NAME_MISSING = "Silakan isi nama lengkap."
NAME_TOO_LONG = f"Nama lengkap paling banyak {MAX_NAME_CHARS} karakter."
USERNAME_INVALID = (
    "Nama pengguna terdiri atas 3–80 karakter: huruf, angka, titik, garis bawah, atau tanda "
    "hubung, tanpa spasi."
)
ROLE_INVALID = "Silakan pilih peran: Staf atau Admin."
FORM_HAS_ERRORS = "Akun belum dibuat. Silakan perbaiki isian yang ditandai."
CREATED = "Akun {name} telah dibuat. Ia sekarang dapat masuk dengan kata sandi yang Anda ketik."
PASSWORD_SET = "Kata sandi {name} telah diganti. Semua sesinya yang masih terbuka telah diakhiri."
DEACTIVATED = "Akun {name} telah dinonaktifkan. Ia tidak dapat masuk lagi sampai diaktifkan."
REACTIVATED = "Akun {name} telah diaktifkan kembali. Ia dapat masuk lagi."


@dataclass
class AccountForm:
    """What the admin typed into the new-account form, and what is wrong with it."""

    full_name: str = ""
    username: str = ""
    role: str = StaffRole.STAFF
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def focus(self) -> str:
        """The field the cursor starts in: the first one with an error."""
        return next(iter(self.errors), "full_name")


def password_problem(password: str, repeated: str) -> str | None:
    """Why ``password`` (typed twice) cannot be used, or ``None``."""
    if len(password) < MIN_PASSWORD_CHARS:
        return texts.PASSWORD_TOO_SHORT
    if len(password) > texts.MAX_PASSWORD_CHARS:
        return texts.PASSWORD_TOO_LONG
    if password != repeated:
        return texts.PASSWORDS_DIFFER
    return None


def _check_account(entry: AccountForm, password: str, repeated: str) -> None:
    if not entry.full_name:
        entry.errors["full_name"] = NAME_MISSING
    elif len(entry.full_name) > MAX_NAME_CHARS:
        entry.errors["full_name"] = NAME_TOO_LONG
    if not USERNAME.fullmatch(entry.username):
        entry.errors["username"] = USERNAME_INVALID
    if entry.role not in ROLE_LABELS:
        entry.errors["role"] = ROLE_INVALID
    if password or repeated:
        problem = password_problem(password, repeated)
        if problem:
            entry.errors["password"] = problem


def _display_name(account: StaffUser) -> str:
    return account.full_name or account.username


def _target(db: ConsoleDb, staff_id: int) -> StaffUser:
    account = db.get(StaffUser, staff_id)
    if account is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND)
    return account


def _shown_once(request: Request, account: StaffUser, password: str, *, created: bool) -> Response:
    page = {"title": "Kata sandi sementara", "account": account, "password": password}
    return render(request, "staff_password_shown.html", {**page, "created": created})


@router.get("/staf")
def staff_list(request: Request, admin: ConsoleAdmin, db: ConsoleDb) -> Response:
    """Every account: name, username, role, status, last login and Telegram link."""
    page = {"title": "Staf", "accounts": list_accounts(db), "roles": ROLE_LABELS}
    return render(request, "staff_list.html", page)


def _new_account_page(request: Request, entry: AccountForm, *, status_code: int = 200) -> Response:
    page = {"title": "Tambah akun staf", "entry": entry, "roles": ROLE_LABELS}
    page["error"] = FORM_HAS_ERRORS if entry.errors else ""
    return render(
        request,
        "staff_new.html",
        {**page, "min_chars": MIN_PASSWORD_CHARS},
        status_code=status_code,
    )


@router.get("/staf/baru")
def new_account_form(request: Request, admin: ConsoleAdmin) -> Response:
    """The new-account form; the role is *Staf* unless the admin chooses *Admin*."""
    return _new_account_page(request, AccountForm())


@router.post("/staf/baru")
def create_account(
    request: Request,
    admin: ConsoleAdmin,
    db: ConsoleDb,
    full_name: FormText = "",
    username: FormText = "",
    role: FormText = StaffRole.STAFF,
    password: FormText = "",
    repeated: FormText = "",
) -> Response:
    """Create the account; without a typed password, show a generated one once."""
    entry = AccountForm(mask_personal_data(full_name.strip()), username.strip(), role)
    _check_account(entry, password, repeated)
    if entry.errors:
        return _new_account_page(request, entry, status_code=422)
    chosen = password or generate_password()
    try:
        account = add_account(
            db,
            admin=admin,
            username=entry.username,
            password=chosen,
            role=StaffRole(entry.role),
            full_name=entry.full_name,
        )
    except AccountRefused as refused:
        entry.errors["username"] = str(refused)
        return _new_account_page(request, entry, status_code=409)
    db.commit()
    if password:
        return see_other(request, STAFF_PATH, success=CREATED.format(name=_display_name(account)))
    return _shown_once(request, account, chosen, created=True)


def _password_page(
    request: Request, account: StaffUser, *, error: str = "", status_code: int = 200
) -> Response:
    page = {"title": "Atur ulang kata sandi", "account": account, "error": error}
    return render(
        request,
        "staff_password.html",
        {**page, "min_chars": MIN_PASSWORD_CHARS},
        status_code=status_code,
    )


@router.get("/staf/{staff_id}/kata-sandi")
def password_form(
    request: Request, admin: ConsoleAdmin, db: ConsoleDb, staff_id: IdPath
) -> Response:
    """The form for someone else's new password (typed twice, or left empty to generate one)."""
    account = _target(db, staff_id)
    if account.id == admin.id:
        return see_other(request, "/staf/kata-sandi")
    return _password_page(request, account)


@router.post("/staf/{staff_id}/kata-sandi")
def set_password(
    request: Request,
    admin: ConsoleAdmin,
    db: ConsoleDb,
    staff_id: IdPath,
    password: FormText = "",
    repeated: FormText = "",
) -> Response:
    """Store the new password and end every session of that account."""
    account = _target(db, staff_id)
    problem = password_problem(password, repeated) if password or repeated else None
    if problem:
        return _password_page(request, account, error=problem, status_code=422)
    chosen = password or generate_password()
    try:
        reset_password(db, admin=admin, target=account, new=chosen)
    except AccountRefused as refused:
        return see_other(request, STAFF_PATH, error=str(refused))
    db.commit()
    if password:
        return see_other(
            request, STAFF_PATH, success=PASSWORD_SET.format(name=_display_name(account))
        )
    return _shown_once(request, account, chosen, created=False)


@router.post("/staf/{staff_id}/nonaktifkan")
def deactivate(request: Request, admin: ConsoleAdmin, db: ConsoleDb, staff_id: IdPath) -> Response:
    """Switch the account off: its sessions end at their next request."""
    account = _target(db, staff_id)
    try:
        deactivate_account(db, admin=admin, target=account)
    except AccountRefused as refused:
        return see_other(request, STAFF_PATH, error=str(refused))
    db.commit()
    return see_other(request, STAFF_PATH, success=DEACTIVATED.format(name=_display_name(account)))


@router.post("/staf/{staff_id}/aktifkan")
def reactivate(request: Request, admin: ConsoleAdmin, db: ConsoleDb, staff_id: IdPath) -> Response:
    """Let the account log in again."""
    account = _target(db, staff_id)
    reactivate_account(db, admin=admin, target=account)
    db.commit()
    return see_other(request, STAFF_PATH, success=REACTIVATED.format(name=_display_name(account)))
