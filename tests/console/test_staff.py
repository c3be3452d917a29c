"""Staf: admins create accounts, set a new password for someone, and switch accounts off; other
staff cannot open the page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from playwright.sync_api import Page, expect

from tests.console.live import Account, LiveConsole
from tests.console.pages import HOME, check_page, log_in

STAFF_PAGE = "/staf/staf"
NEW_PASSWORD = "kata-sandi-baru-789"


def _row(page: Page, account: Account):
    return page.locator("tbody tr", has=page.get_by_text(account.username, exact=True))


def test_an_admin_creates_a_staff_account_who_can_then_log_in(
    logged_in_page: Callable[..., Page], live_console: LiveConsole
) -> None:
    page = logged_in_page("admin")
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Staf").click()
    page.get_by_role("link", name="Tambah akun").click()
    expect(page.get_by_label("Peran")).to_have_value("staff")

    page.get_by_label("Nama lengkap").fill("Rina Kurniasih")
    page.get_by_label("Nama pengguna").fill("rina.ppid")
    page.get_by_label("Kata sandi", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Ulangi kata sandi").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Buat akun").click()

    expect(page.get_by_role("status")).to_contain_text("Akun Rina Kurniasih telah dibuat.")
    row = page.locator("tbody tr", has_text="rina.ppid")
    expect(row).to_contain_text("Staf")
    expect(row).to_contain_text("Belum pernah")
    check_page(page, "staff-list")
    newcomer = Account(0, "rina.ppid", NEW_PASSWORD, "staff", "Rina Kurniasih")
    other = logged_in_page(account=newcomer)
    expect(other).to_have_url(live_console.url(HOME))


def test_a_generated_password_is_shown_once_and_lets_the_newcomer_log_in(
    logged_in_page: Callable[..., Page], live_console: LiveConsole
) -> None:
    page = logged_in_page("admin")
    page.goto(live_console.url(f"{STAFF_PAGE}/baru"))

    page.get_by_label("Nama lengkap").fill("Yusuf Hamdani")
    page.get_by_label("Nama pengguna").fill("yusuf")
    page.get_by_role("button", name="Buat akun").click()

    expect(page.get_by_role("heading", name="Akun telah dibuat")).to_be_visible()
    password = page.locator("#kata-sandi-sementara").inner_text()
    check_page(page, "staff-password-shown")
    newcomer = Account(0, "yusuf", password, "staff", "Yusuf Hamdani")
    expect(logged_in_page(account=newcomer)).to_have_url(live_console.url(HOME))
    page.goto(live_console.url(STAFF_PAGE))
    expect(page.get_by_text(password)).to_have_count(0)


def test_a_refused_new_account_keeps_what_was_typed_and_says_why(
    logged_in_page: Callable[..., Page], live_console: LiveConsole
) -> None:
    taken = live_console.create_account()
    page = logged_in_page("admin")
    page.goto(live_console.url(f"{STAFF_PAGE}/baru"))

    page.get_by_label("Nama lengkap").fill("Budi Santoso")
    page.get_by_label("Nama pengguna").fill(taken.username)
    page.get_by_label("Peran").select_option("admin")
    page.get_by_role("button", name="Buat akun").click()

    expect(page.get_by_text("Nama pengguna ini sudah dipakai.")).to_be_visible()
    expect(page.get_by_label("Nama lengkap")).to_have_value("Budi Santoso")
    expect(page.get_by_label("Peran")).to_have_value("admin")
    check_page(page, "staff-new-error")


def test_an_admin_resets_a_password_and_the_old_one_stops_working(
    logged_in_page: Callable[..., Page], live_console: LiveConsole
) -> None:
    forgetful = live_console.create_account()
    page = logged_in_page("admin")
    page.goto(live_console.url(STAFF_PAGE))

    _row(page, forgetful).get_by_role("link", name="Atur ulang kata sandi").click()
    check_page(page, "staff-password")
    page.get_by_label("Kata sandi baru", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Ulangi kata sandi baru").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Simpan kata sandi baru").click()

    expect(page.get_by_role("status")).to_contain_text("Kata sandi Petugas Uji")
    other = logged_in_page(account=replace(forgetful, password=NEW_PASSWORD))
    other.get_by_role("button", name="Keluar").click()
    log_in(other, live_console, forgetful)
    expect(other.get_by_role("alert")).to_contain_text("Nama pengguna atau kata sandi salah.")


def test_a_deactivated_person_is_logged_out_at_their_next_request(
    logged_in_page: Callable[..., Page], live_console: LiveConsole
) -> None:
    leaving = live_console.create_account()
    their_page = logged_in_page(account=leaving)
    page = logged_in_page("admin")
    page.goto(live_console.url(STAFF_PAGE))

    _row(page, leaving).get_by_role("button", name="Nonaktifkan").click()

    expect(page.get_by_role("status")).to_contain_text("telah dinonaktifkan")
    expect(_row(page, leaving)).to_contain_text("Nonaktif")
    their_page.reload()
    expect(their_page.get_by_role("alert")).to_have_text(
        "Sesi Anda telah berakhir. Silakan masuk kembali."
    )


def test_a_staff_account_is_refused_the_staff_page(
    logged_in_page: Callable[..., Page], live_console: LiveConsole
) -> None:
    page = logged_in_page("staff")

    response = page.goto(live_console.url(STAFF_PAGE))

    assert response is not None and response.status == 403
    expect(page.get_by_text("Halaman ini hanya dapat dibuka oleh admin.")).to_be_visible()
