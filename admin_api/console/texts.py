"""What the console says to staff, in plain and polite Indonesian."""

from __future__ import annotations

from knowledge_base.core.settings import MIN_PASSWORD_CHARS

MAX_PASSWORD_CHARS = 200  # the same limit as accounts created through the API

WRONG_CREDENTIALS = "Nama pengguna atau kata sandi salah. Silakan periksa kembali."
TOO_MANY_ATTEMPTS = "Terlalu banyak percobaan yang gagal. Silakan coba lagi beberapa menit lagi."
LOGGED_OUT = "Anda telah keluar. Sampai jumpa kembali."
SESSION_ENDED = "Sesi Anda telah berakhir. Silakan masuk kembali."

WRONG_CURRENT_PASSWORD = "Kata sandi saat ini salah."
PASSWORD_TOO_SHORT = (
    f"Kata sandi baru harus terdiri atas paling sedikit {MIN_PASSWORD_CHARS} karakter."
)
PASSWORD_TOO_LONG = f"Kata sandi baru paling banyak {MAX_PASSWORD_CHARS} karakter."
PASSWORDS_DIFFER = "Kedua isian kata sandi baru tidak sama. Silakan ketik ulang."
PASSWORD_UNCHANGED = "Kata sandi baru harus berbeda dari kata sandi saat ini."
PASSWORD_CHANGED = (
    "Kata sandi Anda telah diubah. Sesi lain yang masih terbuka dengan akun ini telah diakhiri."
)

ADMIN_ONLY = "Halaman ini hanya dapat dibuka oleh admin."
CSRF_REFUSED = (
    "Demi keamanan, formulir ini hanya dapat dikirim dari halaman konsol staf yang masih "
    "terbuka. Silakan muat ulang halaman, lalu coba lagi."
)
ERROR_TITLES = {
    400: "Permintaan tidak valid",
    403: "Akses ditolak",
    404: "Halaman tidak ditemukan",
    405: "Tindakan tidak tersedia",
}
ERROR_MESSAGES = {
    400: "Data yang dikirim tidak valid. Silakan periksa kembali isian Anda.",
    403: "Anda tidak memiliki akses ke halaman ini.",
    404: "Halaman yang Anda cari tidak ada atau sudah dipindahkan.",
    405: "Tindakan ini tidak tersedia di alamat ini.",
}
GENERIC_ERROR_TITLE = "Terjadi kesalahan"
GENERIC_ERROR = "Maaf, permintaan Anda tidak dapat diproses. Silakan coba lagi."
