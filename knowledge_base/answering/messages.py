"""Every sentence a citizen reads from the question engine, in one place so offices can reword it."""

from __future__ import annotations

SOURCE_LINE = "Sumber: {legal_source}. Ditinjau: {reviewed}."
SOURCE_URL_LINE = "Tautan sumber: {source_url}"

PERSONAL_DATA_REMINDER = (
    "Catatan: demi keamanan data Anda, mohon jangan mengirim NIK atau nomor telepon lewat chat. "
    "Nomor tersebut sudah kami samarkan dan tidak kami simpan."
)

SUGGEST_HEADER = "Maksud Anda salah satu dari pertanyaan berikut?"

ESCALATED = (
    "Terima kasih atas pertanyaan Anda. Kami belum memiliki jawaban yang tepat, jadi pertanyaan "
    "ini kami teruskan kepada petugas {office_name}. Jawaban akan dikirim di percakapan ini.\n"
    "Anda juga dapat menghubungi kami. Telepon: {office_phone}. Alamat: {office_address}. "
    "Laman: {office_website}."
)

DECLINE_OUT_OF_SCOPE = (
    "Mohon maaf, saya hanya dapat menjawab pertanyaan seputar pemilu dan pemilihan, misalnya "
    "pendaftaran pemilih, cara mencoblos, jadwal tahapan, atau layanan informasi {office_name}."
)

DECLINE_PARTISAN = (
    "Mohon maaf, sebagai layanan informasi penyelenggara pemilu saya bersikap netral dan tidak "
    "memberikan penilaian, rekomendasi, atau prediksi tentang partai politik maupun calon. "
    "Informasi resmi tentang peserta dan visi-misi mereka dapat Anda lihat di {office_website} "
    "dan infopemilu.kpu.go.id."
)

DECLINE_EMPTY = 'Silakan ketik pertanyaan Anda tentang pemilu, misalnya: "Cara cek DPT?"'

DECLINE_TOO_LONG = (
    "Pesan Anda terlalu panjang untuk saya pahami ({length} karakter). Mohon ringkas pertanyaan "
    "Anda menjadi paling banyak {limit} karakter."
)

GREETING = (
    "Halo! Saya asisten informasi pemilu {office_name}. Silakan ketik pertanyaan Anda, misalnya "
    '"Bagaimana cara cek DPT?" atau "Kapan pemilu berikutnya?"'
)

THANKS = "Sama-sama. Semoga membantu! Silakan bertanya lagi kapan saja."

STAFF_REPLY = (
    'Jawaban petugas atas pertanyaan Anda:\n"{question}"\n\n{answer}\n\n'
    "Terima kasih telah bertanya."
)

# Sent to every asker when staff close a question without answering it.
OVERDUE_NOTICE = (
    'Pertanyaan Anda masih kami proses:\n"{question}"\n\n'
    "Mohon maaf, jawabannya belum selesai pada waktu yang kami janjikan. Kami upayakan "
    "jawaban paling lambat {expected}, dan akan mengirimkannya di percakapan ini."
)

DISMISSAL_NOTICE = (
    'Terima kasih atas pertanyaan Anda:\n"{question}"\n\n'
    "Mohon maaf, petugas {office_name} tidak dapat menindaklanjuti pertanyaan ini. "
    "Alasannya: {reason}\n\n"
    "Anda tetap dapat bertanya kembali di percakapan ini kapan saja, atau menghubungi kami "
    "langsung. Telepon: {office_phone}. Alamat: {office_address}. Laman: {office_website}. "
    "Untuk laporan dugaan "
    "pelanggaran pemilu, silakan menghubungi Bawaslu setempat."
)
