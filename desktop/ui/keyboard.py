"""The keyboard's rules for every window: menu accelerators, platform shortcuts with a
fallback where a platform has none, and the list of shortcuts read from the menus.

* :func:`assign_accelerators` gives every menu and menu item of a menu bar an accelerator
  (``&File``), keeping the ones written in the text and replacing a letter already taken in
  the same menu, so no two entries of one menu share one.
* :func:`standard_key` is Qt's binding for a standard key, or a fallback where the platform
  has none: ``QKeySequence.Preferences`` is empty on Linux, where Settings gets Ctrl+, as on
  the other platforms.
* :func:`menu_shortcuts` lists (menu, command, keys) for the Help's "Keyboard shortcuts"
  page, made from the actions themselves so it can't drift from them.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar

PREFERENCES_FALLBACK = "Ctrl+,"
HELP_FALLBACK = "F1"
_WATCHED = "ecas_accelerators"


def standard_key(key: QKeySequence.StandardKey, fallback: str) -> list[QKeySequence]:
    """Every binding the platform has for ``key``; ``[fallback]`` when it has none."""
    bindings = [k for k in QKeySequence.keyBindings(key) if not k.isEmpty()]
    return bindings or [QKeySequence(fallback)]


def accelerator(text: str) -> str:
    """The accelerator letter of ``text`` (lower case), or "" when it has none."""
    i = 0
    while i < len(text) - 1:
        if text[i] == "&":
            if text[i + 1] == "&":  # "&&" is a literal ampersand
                i += 2
                continue
            return text[i + 1].lower()
        i += 1
    return ""


def _plain(text: str) -> str:
    """``text`` without its accelerator mark (a literal "&&" stays)."""
    out, i = [], 0
    while i < len(text):
        if text[i] == "&" and i + 1 < len(text):
            out.append("&&" if text[i + 1] == "&" else text[i + 1])
            i += 2
            continue
        out.append(text[i])
        i += 1
    return "".join(out)


def _candidates(text: str) -> list[int]:
    """Where in ``text`` (without its mark) an accelerator may go, best first: the letters
    that start a word, then the other letters and digits."""
    plain = _plain(text)
    starts = [i for i, c in enumerate(plain) if c.isalnum() and (i == 0 or plain[i - 1] == " ")]
    return starts + [i for i, c in enumerate(plain) if c.isalnum() and i not in starts]


def _match(options: list[list[str]], taken: set[str]) -> list[str]:
    """A distinct letter for each entry from its ``options`` (none in ``taken``); "" only
    where no matching gives it one. Each entry, in menu order, takes its best free letter;
    one whose letters are all held moves an earlier one on to another of that one's letters
    (Kuhn's augmenting paths)."""
    owner: dict[str, int] = {}

    def place(entry: int, seen: set[str]) -> bool:
        for letter in options[entry]:
            if letter in taken or letter in seen:
                continue
            seen.add(letter)
            if letter not in owner or place(owner[letter], seen):
                owner[letter] = entry
                return True
        return False

    for entry in range(len(options)):
        free = next((x for x in options[entry] if x not in taken and x not in owner), None)
        if free is not None:  # its best free letter: earlier entries keep theirs
            owner[free] = entry
        else:
            place(entry, set())
    chosen = [""] * len(options)
    for letter, entry in owner.items():
        chosen[entry] = letter
    return chosen


def _assign(actions: list[QAction]) -> None:
    named = [a for a in actions if not a.isSeparator() and a.text()]
    taken: set[str] = set()
    needing: list[QAction] = []
    for action in named:  # the letters written in the texts first, in menu order
        letter = accelerator(action.text())
        if letter and letter not in taken:
            taken.add(letter)
        else:
            needing.append(action)
    plains = [_plain(a.text()) for a in needing]
    options = [
        list(dict.fromkeys(plain[i].lower() for i in _candidates(plain))) for plain in plains
    ]
    for action, plain, letter in zip(needing, plains, _match(options, taken), strict=True):
        if not letter:
            action.setText(plain)  # every letter of it is taken: no accelerator
            continue
        at = next(i for i in _candidates(plain) if plain[i].lower() == letter)
        action.setText(plain[:at] + "&" + plain[at:])


def assign_accelerators(bar: QMenuBar) -> None:
    """Every menu of ``bar`` and every entry of each (submenus too) gets an accelerator
    unique within its menu. Call it again after adding a menu or an entry."""
    _assign(bar.actions())
    stack = [a.menu() for a in bar.actions()]
    while stack:
        menu = stack.pop()
        if not isinstance(menu, QMenu):
            continue
        _assign(menu.actions())
        if not menu.property(_WATCHED):  # an entry added later gets its letter on opening
            menu.setProperty(_WATCHED, True)
            menu.aboutToShow.connect(lambda m=menu: _assign(m.actions()))
        stack.extend(a.menu() for a in menu.actions() if a.menu() is not None)


def menu_shortcuts(bar: QMenuBar) -> list[tuple[str, str, str]]:
    """(menu, command, keys) of every menu entry with a shortcut, in menu order; the keys
    as this platform writes them ("Ctrl+W, Ctrl+F4" for an entry with two)."""
    rows: list[tuple[str, str, str]] = []

    def walk(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            sub = action.menu()
            if isinstance(sub, QMenu):
                walk(sub, f"{path} > {_plain(action.text()).replace('&&', '&')}")
                continue
            keys = [k for k in action.shortcuts() if not k.isEmpty()]
            if action.isSeparator() or not keys:
                continue
            written = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys)
            rows.append((path, _plain(action.text()).replace("&&", "&"), written))

    for top in bar.actions():
        menu = top.menu()
        if isinstance(menu, QMenu):
            walk(menu, _plain(top.text()).replace("&&", "&"))
    return rows
