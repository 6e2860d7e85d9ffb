"""Messages as the shop uses them, against the local SMS provider server: the manager sets the provider up and
sends a test message; a booking's confirmation appears in the outbox and goes out when the delivery job runs; a
work order marked ready tells the client the amount; a failed message is sent again, a waiting one cancelled;
the advisor sends a one-off message from the client card; the scheduler starts with the desk."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
import shiboken6
from babel.numbers import format_currency
from messages_ui_shop import (
    PHONE,
    ZONE,
    FakeSmsServer,
    MessageShop,
    configure_provider,
    make_message_shop,
    open_settings,
    settle,
)
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from autoservice_desk.app import Desk
from autoservice_desk.formatting import format_money
from autoservice_desk.services import users
from autoservice_desk.services.bookings import BookingRequest, JobLine, create_booking
from autoservice_desk.services.delivery import DeliveryConfig
from autoservice_desk.services.message_queries import OutboxFilter, list_outbox
from autoservice_desk.services.messaging_settings import list_intervals
from autoservice_desk.services.outbox import client_recipient
from autoservice_desk.services.scheduler import DELIVERY_JOB, REMINDER_JOB, MessagingScheduler, start_scheduler
from autoservice_desk.services.startup import Environment
from autoservice_desk.services.timeline import list_events
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory
from autoservice_desk.services.work_order_card import get_work_order
from autoservice_desk.services.work_order_status import change_status
from autoservice_desk.services.work_order_types import OpenRequest, WorkOrderStatus
from autoservice_desk.services.work_orders import open_work_order
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.models.outbox_models import OutboxColumn
from autoservice_desk.ui.screens.clients.client_card import ClientCardView
from autoservice_desk.ui.screens.messages.screen import MessagesScreen
from autoservice_desk.ui.screens.messages.send_dialog import SendMessageDialog

S = WorkOrderStatus


@pytest.fixture
def server() -> Iterator[FakeSmsServer]:
    fake = FakeSmsServer().start()
    yield fake
    fake.stop()


@pytest.fixture
def shop(admin_context: ScreenContext) -> MessageShop:
    return make_message_shop(admin_context)


@pytest.fixture
def delivery(admin_context: ScreenContext) -> Iterator[list[MessagingScheduler]]:
    """Start the desk's scheduler on demand (`start(delivery)`), stopped at the end of the test."""
    started: list[MessagingScheduler] = []
    yield started
    for scheduler in started:
        scheduler.stop()


def start(started: list[MessagingScheduler], context: ScreenContext) -> MessagingScheduler:
    """The app's scheduler, delivering every fraction of a second and asking for delivery reports at once."""
    assert context.uow_factory is not None
    scheduler = start_scheduler(context.uow_factory, context.environment.secrets, delivery_interval_s=0.5,
                                config=DeliveryConfig(poll_every=timedelta(0)))  # fmt: skip
    started.append(scheduler)
    return scheduler


def open_screen(qtbot: QtBot, context: ScreenContext) -> MessagesScreen:
    screen = MessagesScreen(context)
    qtbot.addWidget(screen)
    screen.resize(1500, 800)
    screen.show()
    settle(context.runner)
    return screen


def cells(screen: MessagesScreen, column: OutboxColumn) -> list[str]:
    model = screen.outbox.model
    return [str(model.index(row, column).data()) for row in range(model.rowCount())]


def book_tomorrow(shop: MessageShop) -> int:
    tomorrow = datetime.now(ZONE).date() + timedelta(days=1)
    request = BookingRequest(shop.client, shop.vehicle, datetime.combine(tomorrow, time(10), ZONE),
                             (JobLine(shop.services["TO-1"]),), bay_id=shop.bay,
                             mechanic_ids=(shop.mechanic,))  # fmt: skip
    return create_booking(shop.uow_factory, request, ZONE).id


def test_the_manager_sets_up_the_provider_sends_a_test_and_sees_the_balance(
    qtbot: QtBot, admin_context: ScreenContext, shop: MessageShop, server: FakeSmsServer
) -> None:
    page = configure_provider(qtbot, admin_context, server)
    provider = page.provider
    assert provider.secret_edits["smsc"].text() == ""  # the password went to the keyring, not the screen
    assert "keyring" in provider.secret_edits["smsc"].placeholderText()
    assert "4,122.56" in provider.balance.text()  # read on saving
    provider.test_recipient.setText(PHONE)
    provider.test_button.click()
    settle(admin_context.runner)
    assert provider.test_result.text().startswith("Sent: the provider took it as"), provider.test_result.text()
    [accepted] = server.state.accepted
    assert accepted.recipient == PHONE[1:] and accepted.text == "Test message from the service desk"

    server.set_down(True)  # the provider's error comes back in words, and the button works again
    provider.test_button.click()
    settle(admin_context.runner)
    assert "503" in provider.test_result.text() and provider.test_button.isEnabled()
    server.set_down(False)

    templates = page.templates  # the preview is filled from the client's data and counted in SMS parts
    templates.event_choice.setCurrentIndex(templates.event_choice.findData("car_ready"))
    settle(admin_context.runner)
    assert "Сергей Петрович" in templates.preview.text() and "Kia Rio" in templates.preview.text()
    assert "characters" in templates.counter.text() and "2 SMS" in templates.counter.text()
    templates.text.setPlainText("{client_name}, готово. {unknown}")
    templates.refresh_preview()
    settle(admin_context.runner)
    assert "Unknown placeholder {unknown}" in templates.preview.text()
    templates.text.setPlainText("{client_name}, ваш {car} готов")
    templates.save()
    settle(admin_context.runner)
    assert templates.status.text() == "Template saved." and templates.reset_button.isEnabled()
    assert templates.counter.text().startswith("34 characters, 1 SMS"), templates.counter.text()


def test_a_booking_confirmation_goes_out_and_a_ready_car_says_the_amount(
    qtbot: QtBot, admin_context: ScreenContext, shop: MessageShop, server: FakeSmsServer,
    delivery: list[MessagingScheduler],
) -> None:  # fmt: skip
    configure_provider(qtbot, admin_context, server).close()
    screen = open_screen(qtbot, admin_context)
    book_tomorrow(shop)
    settle(admin_context.runner)  # the change bus refreshes the screen
    assert cells(screen, OutboxColumn.EVENT) == ["Booking confirmation"]
    assert cells(screen, OutboxColumn.STATUS) == ["Queued"]
    assert "Автосервис Плюс" in cells(screen, OutboxColumn.TEXT)[0]
    assert server.total() == 0

    start(delivery, admin_context)
    qtbot.waitUntil(lambda: server.total() == 1, timeout=15_000)
    qtbot.waitUntil(lambda: list_outbox(shop.uow_factory, OutboxFilter(), ZONE)[0].message.status == "delivered",
                    timeout=15_000)  # fmt: skip
    settle(admin_context.runner)
    assert cells(screen, OutboxColumn.STATUS) == ["Delivered"]
    assert cells(screen, OutboxColumn.COST) == [format_money(Decimal("1.50"))]
    assert [message.text for message in server.state.accepted][0].startswith("Сергей Петрович, вы записаны")
    assert screen.outbox.totals_model.index(0, 3).data() == "1"  # delivered today

    card = open_work_order(shop.uow_factory, OpenRequest(shop.client, shop.vehicle, labour=(shop.services["TO-1"],)))
    for status in (S.IN_WORK, S.READY):
        card = change_status(shop.uow_factory, card.id, card.version, status, ZONE)
    amount = get_work_order(shop.uow_factory, card.id).totals.total
    qtbot.waitUntil(lambda: server.total() == 2, timeout=15_000)
    ready = server.state.accepted[-1].text
    assert "готов" in ready and str(format_currency(amount, "RUB", locale="ru_RU")) in ready
    settle(admin_context.runner)
    assert cells(screen, OutboxColumn.EVENT)[0] == "Car ready"
    assert server.duplicates() == {}


def test_a_failed_message_is_sent_again_and_a_waiting_one_cancelled(
    qtbot: QtBot, admin_context: ScreenContext, shop: MessageShop, server: FakeSmsServer,
    delivery: list[MessagingScheduler],
) -> None:  # fmt: skip
    from autoservice_desk.services.outbox import send_message

    configure_provider(qtbot, admin_context, server).close()
    server.fail_next("7")  # SMSC: a wrong number, a permanent failure
    send_message(shop.uow_factory, shop.client, "First")
    scheduler = start(delivery, admin_context)
    qtbot.waitUntil(lambda: scheduler.runtime.last_report is not None and scheduler.runtime.last_report.failed == 1,
                    timeout=15_000)  # fmt: skip
    scheduler.stop()
    delivery.clear()
    send_message(shop.uow_factory, shop.client, "Second")
    screen = open_screen(qtbot, admin_context)
    assert cells(screen, OutboxColumn.STATUS) == ["Queued", "Failed"]
    outbox = screen.outbox
    outbox.filters.choose_status("failed")
    settle(admin_context.runner)
    assert cells(screen, OutboxColumn.TEXT) == ["First"]
    outbox.table.selectAll()
    assert outbox.retry_button.isEnabled() and not outbox.cancel_button.isEnabled()
    outbox.retry_button.click()
    settle(admin_context.runner)
    assert outbox.message.text() == "1 message queued again."
    assert cells(screen, OutboxColumn.TEXT) == []  # no longer failed
    outbox.filters.choose_status("")
    settle(admin_context.runner)
    outbox.table.selectRow(0)
    assert cells(screen, OutboxColumn.TEXT) == ["Second", "First"]
    outbox.table.selectAll()
    outbox.cancel_button.click()
    settle(admin_context.runner)
    assert outbox.message.text() == "2 messages cancelled."
    assert cells(screen, OutboxColumn.STATUS) == ["Cancelled", "Cancelled"]
    for typed, found in (("4567", 2), ("nobody", 0), ("иванов", 2)):
        outbox.filters.search.setText(typed)  # searched once typing pauses
        qtbot.waitUntil(lambda typed=typed: outbox.model.chosen.search == typed, timeout=5_000)  # type: ignore[misc]
        settle(admin_context.runner)
        assert outbox.model.rowCount() == found, typed


def test_the_advisor_sends_a_message_from_the_client_card(
    qtbot: QtBot, admin_context: ScreenContext, shop: MessageShop
) -> None:
    card = ClientCardView(admin_context)
    qtbot.addWidget(card)
    card.resize(900, 800)
    card.show()
    card.show_client(shop.client)
    settle(admin_context.runner)
    assert card.send_button.isEnabled()
    card.send_button.click()
    dialog = card.dialog
    assert isinstance(dialog, SendMessageDialog)
    settle(admin_context.runner)
    assert dialog.client.text() == "Иванов Сергей Петрович"
    assert dialog.channel.currentData() == "sms" and PHONE in dialog.channel.currentText()
    assert dialog.consent.text().startswith("Service notifications: agreed")
    assert not dialog.send_button.isEnabled()  # nothing to send yet
    dialog.template.setCurrentIndex(dialog.template.findData("maintenance_due"))
    settle(admin_context.runner)
    assert dialog.text.toPlainText().startswith("Сергей Петрович, вашему Kia Rio А123ВС77 скоро пора на ТО")
    dialog.text.setPlainText("Hello, your car is ready")
    assert dialog.counter.text() == "24 characters, 1 SMS (Latin: 160 per SMS)"
    dialog.text.setPlainText("Здравствуйте! " * 6)
    assert dialog.counter.text().startswith("83 characters, 2 SMS (Cyrillic or symbols: 67 per SMS)")
    dialog.text.setPlainText("Ваш автомобиль готов")
    dialog.send_button.click()
    settle(admin_context.runner)
    assert not shiboken6.isValid(dialog) or not dialog.isVisible()  # closed (and deleted) once queued
    assert card.history_tabs.tabText(1) == "Messages"
    assert card.messages.model.rowCount() == 1
    assert card.messages.model.index(0, OutboxColumn.TEXT).data() == "Ваш автомобиль готов"
    [event] = [entry for entry in list_events(shop.uow_factory, shop.client) if entry.kind == "message"]
    assert "Ваш автомобиль готов" in event.summary
    assert any("Ваш автомобиль готов" in card.timeline.item(row).text() for row in range(card.timeline.count()))


def test_without_consent_the_dialog_warns_and_the_message_is_not_sent(
    qtbot: QtBot, admin_context: ScreenContext
) -> None:
    shop = make_message_shop(admin_context, consent=False)
    dialog = SendMessageDialog(admin_context, shop.client)
    qtbot.addWidget(dialog)
    dialog.show()
    settle(admin_context.runner)
    assert "not agreed" in dialog.consent.text()
    dialog.text.setPlainText("Hello")
    dialog.send_button.click()
    settle(admin_context.runner)
    assert dialog.isVisible() and "has not agreed" in dialog.error.text()
    [row] = list_outbox(shop.uow_factory, OutboxFilter(), ZONE)
    assert row.message.status == "cancelled"
    dialog.close()


def test_the_scheduler_starts_with_the_desk_and_stops_with_it(
    qtbot: QtBot, environment: Environment, database_url: str, uow_factory: UnitOfWorkFactory
) -> None:
    """A reminder due while the app was closed goes out once on start (tests/integration/test_messaging_delivery
    shows the scheduler does that); here: opening the desk starts the scheduler, closing it stops it."""
    users.create_first_admin(uow_factory, "admin", "Анна Смирнова", "secret1")
    desk = Desk(environment, database_url)
    qtbot.addWidget(desk.window)
    desk.start()
    try:
        qtbot.waitUntil(lambda: desk.messaging is not None, timeout=15_000)
        scheduler = desk.messaging
        assert scheduler is not None and scheduler.scheduler.running
        assert {job.id for job in scheduler.scheduler.get_jobs()} >= {DELIVERY_JOB, REMINDER_JOB}
    finally:
        if desk.dialog is not None:
            desk.dialog.close()
        desk.window.close()
        desk.shutdown()
        desk.deleteLater()
    assert desk.messaging is None and not scheduler.scheduler.running


def test_the_card_gives_a_telegram_code_that_links_the_clients_chat(
    qtbot: QtBot, admin_context: ScreenContext, shop: MessageShop
) -> None:
    card = ClientCardView(admin_context)
    qtbot.addWidget(card)
    card.show()
    card.show_client(shop.client)
    settle(admin_context.runner)
    card.messages.link_telegram_button.click()
    settle(admin_context.runner)
    box = card.messages.link_box
    assert box is not None and box.isVisible()
    [code] = [word for word in box.text().split() if len(word) == 6 and word.isupper()]
    assert f"/start {code}" in box.text()
    box.accept()
    with shop.uow_factory(read_only=True) as uow:
        assert client_recipient(uow, shop.client, "telegram") is None  # linked only when the client sends it


def test_the_manager_gives_a_make_its_own_maintenance_interval(
    qtbot: QtBot, admin_context: ScreenContext, shop: MessageShop
) -> None:
    page = open_settings(qtbot, admin_context)
    box = page.intervals
    box.make.setText("Kia")
    box.months.setValue(6)
    box.kilometres.setValue(10_000)
    box.set_button.click()
    settle(admin_context.runner)
    assert [(item.make, item.months, item.kilometres) for item in list_intervals(shop.uow_factory)] == [
        ("KIA", 6, 10_000)
    ]
    assert box.table.rowCount() == 1 and box.table.item(0, 0).text() == "KIA"  # type: ignore[union-attr]
    box.make.setText("")
    box.table.selectRow(0)
    assert box.make.text() == "KIA" and box.months.value() == 6
    box.remove_button.click()
    settle(admin_context.runner)
    assert list_intervals(shop.uow_factory) == [] and box.table.rowCount() == 0
    box.make.setText("")
    box.set_button.click()  # no make: refused in words, nothing written
    settle(admin_context.runner)
    assert list_intervals(shop.uow_factory) == []
    for box_window in QApplication.topLevelWidgets():
        if isinstance(box_window, QMessageBox):
            assert "make" in box_window.text().lower()
            box_window.close()
