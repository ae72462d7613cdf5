"""The Simplified Chinese catalogue is complete and compiled, and the site speaks it by default."""

import ast
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_zh_hans_catalogue_has_no_untranslated_or_fuzzy_entries():
    po = polib.pofile(str(CATALOGUE))
    assert not po.metadata_is_fuzzy
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_compiled_catalogue_matches_the_po_file():
    po = polib.pofile(str(CATALOGUE))
    mo = polib.mofile(str(CATALOGUE.with_suffix(".mo")))

    def entries(catalogue):
        return {
            (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
            for e in catalogue
            if e.msgid and not e.obsolete
        }

    assert entries(mo) == entries(po), "run `uv run manage.py compilemessages -l zh_Hans -i .venv`"


def test_placeholders_survive_translation():
    po = polib.pofile(str(CATALOGUE))
    for entry in po.translated_entries():
        for translated in [entry.msgstr, *entry.msgstr_plural.values()]:
            if translated and "%(" in entry.msgid:
                wanted = sorted(p.split(")")[0] for p in entry.msgid.split("%(")[1:])
                found = sorted(p.split(")")[0] for p in translated.split("%(")[1:])
                assert found == wanted, entry.msgid


@pytest.mark.django_db
def test_login_page_is_in_chinese_by_default_even_for_an_english_browser(client, settings):
    settings.LANGUAGE_CODE = "zh-hans"  # the project's default; conftest forces English
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "zh-hans"
    assert "登录" in response.text


@pytest.mark.django_db
def test_language_switch_turns_the_page_english(client, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("login")}, follow=True
    )
    assert response["Content-Language"] == "en"
    assert "Log in" in response.text
    assert "登录" not in response.text


@pytest.mark.django_db
def test_the_admins_lockout_section_speaks_chinese(admin_client, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    index = admin_client.get(reverse("admin:index")).content.decode()
    assert "登录锁定" in index
    assert "登录尝试" in index and "登录记录" in index
    assert "Access attempts" not in index and "Access logs" not in index and "Axes" not in index
    attempts = admin_client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert "选择 登录尝试 来修改" in attempts


CJK = r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]"
HALF_WIDTH_BESIDE_CJK = re.compile(rf"{CJK}\s*[,:;!?()]|[,:;!?()]\s*{CJK}")


def test_chinese_translations_use_full_width_punctuation():
    """Chinese text takes ，：；！？（） and 、; a half-width one beside a Chinese character is
    a slip (placeholders such as %(name)s and {{ }} are not checked)."""
    po = polib.pofile(str(CATALOGUE))
    slips = [
        (e.msgid, text)
        for e in po
        for text in [e.msgstr, *e.msgstr_plural.values()]
        if text and HALF_WIDTH_BESIDE_CJK.search(text)
    ]
    assert slips == []


def test_lists_in_running_text_take_the_languages_separator():
    from jinzang.templatetags.jinzang import listing

    with translation.override("zh-hans"):
        assert listing(["手机号", "身份证号"]) == "手机号、身份证号"
    with translation.override("en"):
        assert listing(["phone", "ID number"]) == "phone, ID number"


EAGER = {"gettext", "ngettext", "pgettext", "npgettext"}
LAZY = {"gettext_lazy", "ngettext_lazy", "pgettext_lazy", "npgettext_lazy"}
APPS = ("jinzang", "residents", "committees", "meetings")


def translated_at_import(source: str) -> list[tuple[int, str]]:
    """Texts a module translates once, when it is imported (in whatever language is active
    then): gettext() in a module's or a class's body, in a default argument or a decorator,
    and a lazy text made plain there by %, str() or format()."""
    tree = ast.parse(source)
    eager, lazy = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("translation"):
            for alias in node.names:
                name = alias.asname or alias.name
                if alias.name in EAGER:
                    eager.add(name)
                elif alias.name in LAZY:
                    lazy.add(name)

    def calls(node, names):
        return any(
            isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in names
            for n in ast.walk(node)
        )

    found = []

    def at_import(node):
        """Visit what runs at import: not the bodies of functions."""
        called = (
            node.func.id if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) else ""
        )
        made_plain = (
            called in ("str", "format")
            or isinstance(node, ast.BinOp)
            and isinstance(node.op, ast.Mod)
            or isinstance(node, ast.JoinedStr)
        )
        if called in eager or made_plain and calls(node, lazy):
            found.append((node.lineno, ast.unparse(node)))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            arguments = node.args
            for child in [
                *arguments.defaults,
                *(d for d in arguments.kw_defaults if d),
                *getattr(node, "decorator_list", []),
            ]:
                at_import(child)
            return
        for child in ast.iter_child_nodes(node):
            at_import(child)

    at_import(tree)
    return sorted(set(found))


def test_no_text_is_translated_when_its_module_is_imported():
    """A step's title translated in a class body stayed in the language of the first
    request after a restart (受理诉求 on English pages): such texts are gettext_lazy."""
    base = Path(settings.BASE_DIR)
    found = [
        f"{path.relative_to(base)}:{line}: {code}"
        for app in APPS
        for path in sorted((base / app).rglob("*.py"))
        if "migrations" not in path.parts
        for line, code in translated_at_import(path.read_text(encoding="utf-8"))
    ]
    assert found == [], "use gettext_lazy, or translate inside a function:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "source",
    [
        "from django.utils.translation import gettext as _\nTITLE = _('Start work')",
        "from django.utils.translation import gettext as _\nclass V:\n    t = {1: _('a')}",
        "from django.utils.translation import gettext_lazy as _\nH = _('at most %(n)s') % {'n': 5}",
        "from django.utils.translation import gettext_lazy as _\nH = str(_('a'))",
        "from django.utils.translation import pgettext\ndef f(x=pgettext('c', 'a')): pass",
    ],
)
def test_translation_at_import_is_found(source):
    assert translated_at_import(source)


@pytest.mark.parametrize(
    "source",
    [
        "from django.utils.translation import gettext_lazy as _\nTITLE = _('Start work')",
        "from django.utils.translation import gettext as _\ndef f():\n    return _('a') % {}",
        "from django.utils.translation import gettext as _\nclass V:\n    def f(self):\n"
        "        return _('a')",
        "from django.utils.translation import gettext_noop\nS = [gettext_noop('a')]",
    ],
)
def test_translation_at_request_time_passes(source):
    assert translated_at_import(source) == []
