"""Reference data for the demo warehouse: brands with their article formats, kinds of parts, cars, groups."""

from __future__ import annotations

from typing import NamedTuple


class Kind(NamedTuple):
    """A kind of part: its name, group, unit, purchase price range in roubles, and whether it has analogs."""

    name: str
    group: str
    unit: str
    low: int
    high: int
    crossed: bool = True


# The group tree: (name, parent name or "").
GROUPS = (
    ("Фильтры", ""), ("Фильтры масляные", "Фильтры"), ("Фильтры воздушные", "Фильтры"),
    ("Фильтры салонные", "Фильтры"), ("Фильтры топливные", "Фильтры"), ("Тормозная система", ""),
    ("Подвеска", ""), ("Зажигание", ""), ("Ремни и ролики", ""), ("Сцепление", ""), ("Масла и жидкости", ""),
    ("Электрика", ""), ("Расходные материалы", ""), ("Кофе и чай для клиентов", ""),
)  # fmt: skip

KINDS = {
    "oil_filter": Kind("Фильтр масляный", "Фильтры масляные", "pcs", 250, 1200),
    "air_filter": Kind("Фильтр воздушный", "Фильтры воздушные", "pcs", 350, 1800),
    "cabin_filter": Kind("Фильтр салонный", "Фильтры салонные", "pcs", 300, 1500),
    "fuel_filter": Kind("Фильтр топливный", "Фильтры топливные", "pcs", 500, 3500),
    "front_pads": Kind("Колодки тормозные передние", "Тормозная система", "set", 1200, 6500),
    "rear_pads": Kind("Колодки тормозные задние", "Тормозная система", "set", 1000, 5000),
    "disc": Kind("Диск тормозной передний", "Тормозная система", "pcs", 2000, 9000),
    "spark_plug": Kind("Свеча зажигания", "Зажигание", "pcs", 250, 1600),
    "shock": Kind("Амортизатор передний", "Подвеска", "pcs", 3000, 14000),
    "arm": Kind("Рычаг подвески передний", "Подвеска", "pcs", 2500, 11000),
    "ball_joint": Kind("Опора шаровая", "Подвеска", "pcs", 800, 3500),
    "stabilizer_link": Kind("Стойка стабилизатора", "Подвеска", "pcs", 500, 2500),
    "timing_belt": Kind("Ремень ГРМ", "Ремни и ролики", "pcs", 1200, 6000),
    "clutch": Kind("Комплект сцепления", "Сцепление", "set", 7000, 28000),
    "oil": Kind("Масло моторное 5W-30 4 л", "Масла и жидкости", "l", 2500, 5500, crossed=False),
    "oil_5w40": Kind("Масло моторное 5W-40 1 л", "Масла и жидкости", "l", 600, 1400, crossed=False),
    "antifreeze": Kind("Антифриз G12 5 л", "Масла и жидкости", "l", 900, 2200, crossed=False),
    "lamp": Kind("Лампа H7 12V 55W", "Электрика", "pcs", 150, 1200),
    "wiper": Kind("Щётка стеклоочистителя 600 мм", "Электрика", "pcs", 400, 1500),
}

CARS = (
    "Kia Rio", "Hyundai Solaris", "Kia Sportage", "Hyundai Creta", "Lada Vesta", "Lada Granta", "VW Polo",
    "Skoda Octavia", "Toyota Camry", "Renault Logan", "Nissan Qashqai", "Ford Focus", "Kia Ceed",
    "Hyundai Tucson", "Mitsubishi Outlander",
)  # fmt: skip

# Brand -> (article formats, kinds). In a format "#" is a digit of the part's number; a brand's numbers never
# repeat because they are made from a per-format counter (see demo_warehouse._number).
BRANDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Bosch": (("0 986 4#####", "0 451 ### ###", "F 026 ### ###", "1 987 ### ###"),
              ("oil_filter", "air_filter", "cabin_filter", "fuel_filter", "front_pads", "rear_pads", "spark_plug",
               "wiper", "lamp")),
    "Mann-Filter": (("W ###/##", "C #####", "CU ####", "WK ###/#", "HU ###/# x"),
                    ("oil_filter", "air_filter", "cabin_filter", "fuel_filter")),
    "Mahle": (("OC ####", "LX ####", "LA ###", "KL ###"), ("oil_filter", "air_filter", "cabin_filter", "fuel_filter")),
    "TRW": (("GDB####", "DF####", "JTE####", "JBJ####"), ("front_pads", "rear_pads", "disc", "arm", "ball_joint")),
    "Brembo": (("P ## ###", "09.####.##"), ("front_pads", "rear_pads", "disc")),
    "NGK": (("BKR#E-##", "ZFR#F-##", "#####"), ("spark_plug",)),
    "Castrol": (("15####",), ("oil", "oil_5w40")),
    "Lukoil": (("#######",), ("oil", "oil_5w40", "antifreeze")),
    "Febi": (("#####",), ("stabilizer_link", "ball_joint", "timing_belt", "arm")),
    "Lemförder": (("##### ##",), ("arm", "ball_joint", "stabilizer_link")),
    "Sachs": (("### ###", "3000 ### ###"), ("shock", "clutch")),
    "Hyundai/Kia": (("#####-#####", "#####-2V###", "#####-1R###"),
                    ("oil_filter", "air_filter", "cabin_filter", "front_pads", "rear_pads", "disc", "spark_plug",
                     "shock", "arm", "timing_belt", "clutch")),
}  # fmt: skip

# Brands of analogs a supplier's cross file names but the shop does not stock, by the family of parts they make.
CROSS_ONLY_BRANDS = {
    "filter": (("Filtron", "OP ###/#"), ("Knecht", "OC ###"), ("Purflux", "LS ###"), ("Japanparts", "FO-###S"),
               ("Sakura", "C-####"), ("Champion", "COF100###"), ("Masuma", "MFC-####"), ("Kortex", "KO####")),
    "brake": (("Textar", "2####01"), ("ATE", "13.0460-####.2"), ("Nipparts", "J36####"), ("Ashika", "50-0#-###"),
              ("Blue Print", "ADG04####")),
    "ignition": (("Denso", "K20PR-U##"), ("Champion", "OE###")),
    "other": (("Stellox", "20-#####-SX"), ("Patron", "PS####"), ("Blue Print", "ADG0####"), ("Masuma", "MS-####"),
              ("Japanparts", "SA-###")),
}  # fmt: skip


def family(group: str) -> str:
    """Which CROSS_ONLY_BRANDS make analogs of parts in *group*."""
    if group.startswith("Фильтры"):
        return "filter"
    return {"Тормозная система": "brake", "Зажигание": "ignition"}.get(group, "other")


# Things a shop keeps that are not car parts: (article, brand, name, group, unit, purchase price).
CONSUMABLES = (
    ("COFFEE-1KG", "Lavazza", "Кофе в зёрнах 1 кг", "Кофе и чай для клиентов", "kg", 1450),
    ("TEA-100", "Greenfield", "Чай чёрный 100 пакетиков", "Кофе и чай для клиентов", "pack", 320),
    ("GLOVE-NITR-M", "Manipula", "Перчатки нитриловые, размер M, 100 шт.", "Расходные материалы", "pack", 690),
    ("BRAKE-CLEAN-500", "Liqui Moly", "Очиститель тормозов 500 мл", "Расходные материалы", "pcs", 450),
    ("WD40-400", "WD-40", "Смазка проникающая WD-40 400 мл", "Расходные материалы", "pcs", 520),
    ("RAG-1KG", "", "Ветошь обтирочная 1 кг", "Расходные материалы", "kg", 180),
    ("COVER-SEAT", "", "Чехол защитный на сиденье одноразовый", "Расходные материалы", "pcs", 9),
    ("CLAMP-16-27", "Norma", "Хомут червячный 16-27 мм", "Расходные материалы", "pcs", 35),
)  # fmt: skip

# (group or "", brand or "", price from, price to, percent): the demo shop's markup rules.
MARKUP_RULES = (
    ("", "", None, None, 35), ("", "", 0, 500, 60), ("", "", 500, 2000, 45), ("", "", 10000, None, 22),
    ("Масла и жидкости", "", None, None, 25), ("", "Hyundai/Kia", None, None, 30),
    ("Тормозная система", "Brembo", 5000, None, 28), ("Кофе и чай для клиентов", "", None, None, 0),
)  # fmt: skip

# The place tree: racks A..F, five shelves each, four bins a shelf; F is the oils' floor rack.
RACKS, SHELVES, BINS = "ABCDEF", 5, 4
