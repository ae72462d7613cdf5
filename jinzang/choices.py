"""Labels of a field's choices for pages that show one per row."""


def labels(choices) -> dict:
    """{value: label} of `choices` (a TextChoices' `.choices`), each label translated once,
    now, in the active language. A lazy label translates itself again every time a template
    shows it: fifty rows, fifty translations and their proxies' bookkeeping."""
    return {value: str(label) for value, label in choices}
