# Simplified Chinese: Django's dates (2022年11月18日), with thousands grouped by commas as in
# Chinese accounts (30,000.00) instead of Django's ungrouped default.
DATE_FORMAT = "Y年n月j日"  # 2022年11月18日
TIME_FORMAT = "H:i"  # 15:00
DATETIME_FORMAT = "Y年n月j日 H:i"  # 2022年11月18日 15:00
YEAR_MONTH_FORMAT = "Y年n月"  # 2022年11月
MONTH_DAY_FORMAT = "n月j日"  # 11月18日
SHORT_DATE_FORMAT = "Y年n月j日"  # 2022年11月18日
SHORT_DATETIME_FORMAT = "Y年n月j日 H:i"  # 2022年11月18日 15:00
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
