"""Adapters to external systems (SMS, messengers, suppliers, telephony); each behind a small interface."""
