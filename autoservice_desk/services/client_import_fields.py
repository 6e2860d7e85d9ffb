"""The columns a client import understands, with the Russian and English headers they are recognised by."""

from __future__ import annotations

from autoservice_desk.i18n import N_
from autoservice_desk.services.table_import import ImportField, ImportFields

IMPORT_FIELDS: tuple[ImportField, ...] = (
    ImportField("full_name", N_("Full name"), ("фио", "ф.и.о.", "клиент", "имя клиента", "full name", "client name",
                                              "name", "customer")),
    ImportField("surname", N_("Surname"), ("фамилия", "surname", "last name", "family name")),
    ImportField("given_name", N_("Given name"), ("имя", "first name", "given name")),
    ImportField("patronymic", N_("Patronymic"), ("отчество", "patronymic", "middle name")),
    ImportField("company_name", N_("Company"), ("организация", "компания", "наименование", "контрагент", "company",
                                                "company name", "organization", "organisation")),
    ImportField("inn", N_("INN"), ("инн", "inn", "tax id")),
    ImportField("kpp", N_("KPP"), ("кпп", "kpp")),
    ImportField("phone", N_("Phone"), ("телефон", "тел", "мобильный", "мобильный телефон", "телефон 1", "phone",
                                       "mobile", "phone 1", "tel")),
    ImportField("phone2", N_("Second phone"), ("телефон 2", "доп телефон", "дополнительный телефон", "phone 2",
                                               "second phone", "other phone")),
    ImportField("email", N_("E-mail"), ("email", "e-mail", "почта", "эл почта", "электронная почта", "mail")),
    ImportField("address", N_("Address"), ("адрес", "address")),
    ImportField("birthday", N_("Birthday"), ("дата рождения", "день рождения", "birthday", "birth date",
                                             "date of birth")),
    ImportField("source", N_("Source"), ("источник", "откуда узнал", "канал", "source", "channel")),
    ImportField("tags", N_("Tags"), ("метки", "теги", "tags", "labels")),
    ImportField("notes", N_("Notes"), ("примечание", "комментарий", "заметки", "notes", "comment", "comments")),
    ImportField("discount", N_("Discount, %"), ("скидка", "скидка %", "discount", "discount %")),
    ImportField("car", N_("Car (make and model)"), ("автомобиль", "авто", "марка и модель", "марка модель",
                                                     "машина", "car", "vehicle", "make and model")),
    ImportField("make", N_("Make"), ("марка", "марка авто", "make", "brand", "car make")),
    ImportField("model", N_("Model"), ("модель", "модель авто", "model", "car model")),
    ImportField("year", N_("Year"), ("год", "год выпуска", "year", "model year")),
    ImportField("vin", N_("VIN"), ("vin", "вин", "vin код", "vin-код", "идентификационный номер")),
    ImportField("chassis_number", N_("Chassis/body number"), ("номер кузова", "номер шасси", "кузов", "шасси",
                                                              "chassis", "body number", "frame number")),
    ImportField("plate", N_("Plate"), ("госномер", "гос номер", "гос. номер", "номер авто", "регистрационный номер",
                                       "plate", "license plate", "registration")),
    ImportField("engine", N_("Engine"), ("двигатель", "мотор", "engine")),
    ImportField("colour", N_("Colour"), ("цвет", "colour", "color")),
    ImportField("mileage", N_("Mileage, km"), ("пробег", "пробег км", "mileage", "odometer", "km")),
)  # fmt: skip
CLIENT_FIELDS = ImportFields(IMPORT_FIELDS)
FIELDS_BY_KEY = CLIENT_FIELDS.by_key
VEHICLE_KEYS = ("make", "model", "year", "vin", "chassis_number", "plate", "engine", "colour")
