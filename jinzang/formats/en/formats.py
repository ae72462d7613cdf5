# English, as read in China: day month year, 24-hour clock, commas between thousands.
DATE_FORMAT = "j M Y"  # 18 Nov 2022
TIME_FORMAT = "H:i"  # 15:00
DATETIME_FORMAT = "j M Y, H:i"  # 18 Nov 2022, 15:00
YEAR_MONTH_FORMAT = "F Y"  # November 2022
MONTH_DAY_FORMAT = "j F"  # 18 November
SHORT_DATE_FORMAT = "j M Y"  # 18 Nov 2022
SHORT_DATETIME_FORMAT = "j M Y H:i"  # 18 Nov 2022 15:00
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
