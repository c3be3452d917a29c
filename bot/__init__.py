"""The Telegram front of TanyaPemilu: handlers, keyboards, texts, flood control, the webhook
route and the Telegram sender; it uses the domain (`knowledge_base`) and no other front."""
