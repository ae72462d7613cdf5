"""Date and number formats per language, over Django's own (settings.FORMAT_MODULE_PATH).

Both languages group thousands with commas, as Chinese accounts do (30,000.00), not by
ten thousands; English dates read "18 Nov 2022", never the ambiguous 11/18/2022; time is
on the 24-hour clock, as in China.
"""
