"""The Messages screen: the outbox of SMS and Telegram messages, the advisors' tasks, the send dialog."""
