"""Every sentence the Telegram bot shows, in Indonesian, in one place so an office can reword it.

Texts are HTML (Telegram's subset); anything a citizen typed is escaped before it is inserted.
"""

from __future__ import annotations

START = (
    "Halo! Saya <b>TanyaPemilu</b>, asisten informasi pemilu {office_name}.\n\n"
    "Saya dapat menjawab pertanyaan seputar pemilu dan pilkada: hak pilih, DPT, pindah memilih, "
    "cara mencoblos, jadwal tahapan, lembaga penyelenggara, dan layanan informasi publik. "
    "Setiap jawaban mencantumkan dasar hukumnya.\n"
    "Saya tidak memberikan pendapat atau rekomendasi tentang partai maupun calon.\n\n"
    "Ketik pertanyaan Anda, atau pilih menu di bawah."
)
PRIVACY_NOTE = (
    "🔒 Privasi: pertanyaan Anda disimpan tanpa NIK dan nomor telepon (keduanya disamarkan) "
    "paling lama {retention_days} hari untuk meningkatkan layanan. Hapus data Anda kapan saja "
    "dengan /hapusdata."
)
HELP = (
    "<b>Cara menggunakan TanyaPemilu</b>\n"
    "• Ketik pertanyaan, misalnya: <i>cara cek DPT</i> atau <i>kapan pemilu berikutnya</i>.\n"
    "• /topik — jelajahi pertanyaan per topik\n"
    "• /tahapan — tahapan pemilu yang sedang dan akan berlangsung\n"
    "• /pengumuman — pengumuman terbaru\n"
    "• /langganan — terima pengumuman dari {office_name}\n"
    "• /berhenti — berhenti berlangganan\n"
    "• /hapusdata — hapus data Anda dari bot ini\n\n"
    "Pertanyaan yang belum bisa saya jawab akan diteruskan ke petugas, dan jawabannya dikirim "
    "di percakapan ini."
)
COMMANDS = (
    ("start", "Mulai dan lihat menu"),
    ("bantuan", "Cara menggunakan bot"),
    ("topik", "Jelajahi pertanyaan per topik"),
    ("tahapan", "Tahapan pemilu saat ini"),
    ("pengumuman", "Pengumuman terbaru"),
    ("langganan", "Berlangganan pengumuman"),
    ("berhenti", "Berhenti berlangganan"),
    ("hapusdata", "Hapus data saya"),
)

BUTTON_TOPICS = "📚 Topik"
BUTTON_STAGES = "🗓 Tahapan"
BUTTON_HELPFUL = "👍 Membantu"
BUTTON_NOT_HELPFUL = "👎 Tidak membantu"
BUTTON_BACK = "⬅️ Kembali"
BUTTON_ALL_AREAS = "Semua kecamatan"
BUTTON_DONE = "✅ Selesai"
BUTTON_CONFIRM_ERASE = "Ya, hapus data saya"
BUTTON_CANCEL = "Batal"
BUTTON_SEE_ALSO = "Lihat juga: {question}"

SUGGEST_HEADER = "Maksud Anda:"
FEEDBACK_THANKS = "Terima kasih atas masukan Anda."
FEEDBACK_ESCALATED = (
    "Terima kasih. Pertanyaan Anda kami teruskan kepada petugas {office_name}; jawabannya akan "
    "dikirim di percakapan ini."
)
ENTRY_GONE = "Maaf, informasi tersebut sudah tidak tersedia. Silakan ketik pertanyaan Anda."
TOPICS_HEADER = "Pilih topik:"
TOPIC_HEADER = "<b>{category}</b> — pilih pertanyaan:"
STAGES_NONE = (
    "Saat ini tidak ada tahapan pemilu yang terjadwal dalam data kami. Jadwal pemilu berikutnya "
    "akan diumumkan oleh KPU setelah undang-undangnya ditetapkan."
)

NON_TEXT = "Maaf, saya hanya dapat membaca pesan teks. Silakan ketik pertanyaan Anda."
SLOW_DOWN = (
    "Pesan Anda terlalu banyak dalam waktu singkat. Mohon tunggu sebentar, lalu kirim "
    "pertanyaan Anda lagi."
)
ERROR = "Maaf, terjadi gangguan saat memproses pesan Anda. Silakan coba lagi beberapa saat lagi."
GROUP_ONLY_ADMIN = "Maaf, hanya admin grup yang dapat mengubah langganan grup ini."
GROUP_ONLY_ADMIN_ERASE = "Maaf, hanya admin grup yang dapat menghapus data grup ini."
STALE_BUTTON = "Tombol ini sudah tidak berlaku."

SUBSCRIBE_CHOOSE = (
    "Pilih kecamatan yang pengumumannya ingin Anda terima (bisa lebih dari satu), lalu tekan "
    "Selesai. Tanpa pilihan, Anda menerima semua pengumuman."
)
SUBSCRIBED = "🔔 Anda berlangganan pengumuman {office_name} untuk: {areas}. Berhenti: /berhenti."
UNSUBSCRIBED = "Anda tidak lagi berlangganan pengumuman. Berlangganan lagi: /langganan."
NOT_SUBSCRIBED = "Anda belum berlangganan pengumuman. Berlangganan: /langganan."
ALL_AREAS = "semua kecamatan"

ERASE_CONFIRM = (
    "Anda akan menghapus data Anda dari bot ini: catatan percakapan, langganan, dan kaitan Anda "
    "dengan pertanyaan yang pernah dikirim (jumlah statistik tetap dihitung tanpa identitas). "
    "Lanjutkan?"
)
ERASED = "Data Anda telah dihapus. Terima kasih telah menggunakan TanyaPemilu."
ERASE_NOTHING = "Tidak ada data Anda yang tersimpan."
ERASE_CANCELLED = "Penghapusan data dibatalkan."

ANNOUNCEMENTS_NONE = "Belum ada pengumuman."

# /tautkan: a staff member links their own Telegram account (code from the staff console).
LINK_HOW = (
    "Perintah ini untuk petugas KPU. Buka konsol staf, pilih <b>Tautkan Telegram</b>, lalu kirim "
    "kode yang tampil di sana, misalnya: <code>/tautkan ABCD-EFGH</code>"
)
LINK_PRIVATE_ONLY = "Demi keamanan, kirim perintah /tautkan dalam percakapan pribadi dengan bot."
LINK_DONE = (
    "Akun Telegram ini kini tertaut ke akun staf <b>{username}</b>. Salinan uji pengumuman "
    "akan dikirim ke sini."
)
LINK_UNKNOWN = (
    "Kode tidak dikenal atau sudah kedaluwarsa. Buat kode baru di konsol staf, lalu kirim lagi "
    "dalam 15 menit."
)

# The staff group (cards of escalated questions; staff answer by replying).
STAFF_GROUP_SET = (
    "Grup ini sekarang menjadi grup staf: pertanyaan warga yang perlu dijawab petugas akan "
    "dikirim ke sini."
)
STAFF_GROUP_NOT_ADMIN = (
    "Hanya admin yang akun Telegram-nya sudah ditautkan (/tautkan) yang dapat menjadikan grup "
    "ini grup staf."
)
STAFF_GROUP_GROUPS_ONLY = "Perintah ini dipakai di dalam grup staf."
STAFF_NOT_LINKED = (
    "Maaf, hanya petugas yang akun Telegram-nya tertaut dan aktif yang dapat menjawab atau "
    "mengubah pertanyaan ini. Tautkan akun Anda lewat konsol staf dan /tautkan."
)
STAFF_ANSWER_QUEUED = "Terima kasih, jawaban Anda sedang dikirim ke setiap warga yang bertanya."
STAFF_QUESTION_CLOSED = "Pertanyaan ini sudah dijawab atau ditutup."
STAFF_REPLY_EMPTY = "Balasan kosong tidak dikirim. Tulis jawaban Anda sebagai teks."
STAFF_REPLY_TOO_LONG = "Jawaban terlalu panjang untuk satu pesan Telegram; mohon dipersingkat."
STAFF_TAKEN = "Pertanyaan #{question_id} sekarang Anda tangani."
STAFF_DISMISS_PROMPT = (
    "Alasan penolakan pertanyaan #{question_id}? Balas pesan ini; warga yang bertanya akan "
    "menerima alasan tersebut."
)
STAFF_DISMISSED = "Pertanyaan ditutup; warga yang bertanya menerima alasannya."
STAFF_NOT_ANSWERED = "Jawab pertanyaan ini dulu (balas kartunya), lalu jadikan draf."
STAFF_DRAFTED = (
    "Draf entri <code>{slug}</code> dibuat. Lengkapi sumber hukum dan frasa di konsol staf; "
    "petugas lain yang menerbitkannya."
)
