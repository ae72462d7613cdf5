"""Every management command answers `--help` (a lazy translation given to argparse once
made `demo --help` crash)."""

import io
from contextlib import redirect_stdout

import pytest
from django.core.management import ManagementUtility, get_commands
from django.utils import translation


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("name", sorted(get_commands()))
def test_every_command_prints_its_help(name, language):
    out = io.StringIO()
    with translation.override(language), redirect_stdout(out), pytest.raises(SystemExit) as exit:
        ManagementUtility(["manage.py", name, "--help"]).execute()
    assert exit.value.code == 0
    assert f"manage.py {name}" in out.getvalue()
