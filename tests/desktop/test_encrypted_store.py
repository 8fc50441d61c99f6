"""Confidential at rest (issue 17 item 1): this computer's copy of the record — the store
and the document cache — is encrypted, and a stolen disk reveals no respondent's name or
A-number. Real sign-ins and syncs against a real server on loopback, real files grepped."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
import sqlalchemy
from keyring.backends import fail
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from common.wire import Hearing
from desktop.api_client import ApiClient, ApiError
from desktop.doc_cache import SEALED_MAGIC, DocumentCache, document_file
from desktop.local_store import SQLITE_HEADER, LocalStore, StoreLocked
from desktop.offline_auth import check_password, remember_password
from desktop.paths import store_path
from desktop.services.session import (
    COPY_LOCKED_NOTICE,
    SignedIn,
    resume,
    sign_in,
    sign_out,
    sign_out_and_remove,
)
from desktop.services.sync_controller import SyncController
from desktop.settings import REMOVE_COPY_ON_SIGN_OUT, Settings
from desktop.store_crypto import CopyNotRemoved, StoreKeys, key_file_path, local_copy_files
from desktop.sync_engine import SyncEngine
from desktop.ui.context import DesktopContext
from desktop.ui.main_window import MainWindow
from desktop.ui.sign_in_dialog import SignInDialog
from sync_server.services.auth import hash_password
from tests.conftest import DEMO_PASSWORD, LiveServer
from tests.desktop.memory_keyring import MemoryKeyring, memory_keyring  # noqa: F401

pytestmark = pytest.mark.slow


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def _cache(session: SignedIn, folder: Path) -> DocumentCache:
    return DocumentCache(session.store, folder / "documents", 500 * 1024 * 1024, session.cache_key)


def _secrets_of(store: LocalStore) -> set[bytes]:
    """The respondents' names and A-numbers this copy holds, as they would appear in clear."""
    found: set[bytes] = set()
    for case in store.all("case"):
        digits = str(case["a_number"])
        found |= {digits.encode(), f"{digits[:3]}-{digits[3:6]}-{digits[6:]}".encode()}
        for name in (case["respondent_last_name"], case["respondent_first_name"]):
            if len(name) >= 4:
                found |= {name.encode(), name.encode("utf-16-le")}
    return found


def _files_under(*folders: Path) -> list[Path]:
    return [p for folder in folders for p in sorted(folder.rglob("*")) if p.is_file()]


def _synced(server: LiveServer, folder: Path, username: str = "clerk1") -> SignedIn:
    session = sign_in(server.url, username, DEMO_PASSWORD, base_dir=folder)
    SyncEngine(session.client, session.store, page_size=200).sync_once()
    return session


def test_after_a_real_sync_no_file_on_disk_holds_a_name_or_a_number_in_clear(
    live_server: LiveServer, no_keyring: None, tmp_path: Path
) -> None:
    session = _synced(live_server, tmp_path)
    assert session.store.encrypted and session.data_key is not None
    cache = _cache(session, tmp_path)
    engine = SyncEngine(session.client, session.store, cache=cache)
    documents = session.store.all("document")[:3]
    opened = [document_file(session.store, cache, engine.fetch, d["id"]) for d in documents]
    for (_title, content, sha256), _doc in zip(opened, documents, strict=True):
        assert isinstance(content, bytes) and content.startswith(b"%PDF")
        assert hashlib.sha256(content).hexdigest() == sha256
    wanted = _secrets_of(session.store)
    assert len(wanted) > 20  # the clerk's scope: many respondents
    # The PDFs themselves name respondents: in clear they would be found below.
    assert any(s in content for _t, content, _s in opened for s in wanted)
    files = _files_under(tmp_path / "stores", tmp_path / "documents")
    assert any(p.name.endswith(".sqlite3") for p in files)
    assert len([p for p in files if p.parent.parent.name == "documents"]) == 3
    for path in files:  # the store, its WAL, the key file, the cached documents
        data = path.read_bytes()
        assert not data.startswith(SQLITE_HEADER) and not data.startswith(b"%PDF"), path
        leaked = [s for s in wanted if s in data]
        assert leaked == [], (path, leaked[:3])
    for path in files:
        if path.parent.parent.name == "documents":
            assert path.read_bytes().startswith(SEALED_MAGIC)
    key_file = key_file_path(session.store.path).read_text()
    assert "argon2id" in key_file and '"keyring"' not in key_file  # no keyring here
    session.store.engine.dispose()


def test_offline_sign_in_and_unlock_open_the_copy_and_a_wrong_password_cannot(
    live_server: LiveServer, no_keyring: None, tmp_path: Path
) -> None:
    first = _synced(live_server, tmp_path)
    cases = first.store.count("case")
    assert cases > 0
    first.store.engine.dispose()
    live_server.kill()
    with pytest.raises(ApiError, match="password is wrong"):
        sign_in(live_server.url, "clerk1", "not the password", base_dir=tmp_path)
    offline = sign_in(live_server.url, "clerk1", DEMO_PASSWORD, base_dir=tmp_path)
    assert not offline.online and offline.store.count("case") == cases
    # The idle lock's check: the password unwraps the key, another does not.
    assert check_password(offline.store, DEMO_PASSWORD)
    assert not check_password(offline.store, "not the password")
    path = offline.store.path
    offline.store.engine.dispose()
    keys = StoreKeys(path)
    assert keys.unlock_with_password("not the password") is None
    with pytest.raises(StoreLocked):
        LocalStore(path, secrets.token_bytes(32))
    # Nor does the data key itself open it (the store's key is a subkey of it).
    assert offline.data_key is not None
    with pytest.raises(StoreLocked):
        LocalStore(path, offline.data_key)
    # Back online: the same copy syncs and sends an edit made offline.
    reopened = sign_in(live_server.url, "clerk1", DEMO_PASSWORD, base_dir=tmp_path)
    hearing = Hearing.model_validate(reopened.store.all("hearing")[0])
    live_server.start()
    reopened.store.save(hearing.model_copy(update={"duration_minutes": 95}))
    online = sign_in(live_server.url, "clerk1", DEMO_PASSWORD, base_dir=tmp_path)
    assert online.online and online.store.pending_count() == 1
    SyncEngine(online.client, online.store, page_size=200).sync_once()
    assert online.store.pending_count() == 0
    assert online.store.get("hearing", hearing.id)["duration_minutes"] == 95  # type: ignore[index]
    reopened.store.engine.dispose()
    online.store.engine.dispose()


def test_the_keyring_resumes_without_the_password_until_signing_out(
    live_server: LiveServer,
    memory_keyring: MemoryKeyring,  # noqa: F811
    tmp_path: Path,
) -> None:
    session = _synced(live_server, tmp_path)
    assert '"keyring"' in key_file_path(session.store.path).read_text()
    resumed = resume(live_server.url, "clerk1", base_dir=tmp_path)
    assert resumed is not None and resumed.store.count("case") == session.store.count("case")
    resumed.store.engine.dispose()
    sign_out(session)
    assert memory_keyring.entries == {}  # token and store key both gone
    assert '"keyring"' not in key_file_path(session.store.path).read_text()
    assert resume(live_server.url, "clerk1", base_dir=tmp_path) is None
    session.store.engine.dispose()


def test_a_password_changed_on_the_server_rewraps_the_key_at_the_next_sign_in(
    live_server: LiveServer, no_keyring: None, tmp_path: Path
) -> None:
    first = _synced(live_server, tmp_path)
    path = first.store.path
    first.store.engine.dispose()
    keys = StoreKeys(path)
    # The server now knows a new password (an administrator's reset, written to its
    # database); without a keyring, the previous one is asked once.
    new_password = "a-new-password-456"
    server_db = sqlalchemy.create_engine(live_server.env["ECAS_DATABASE_URL"])
    with server_db.begin() as conn:
        changed = conn.execute(
            sqlalchemy.text("UPDATE user_profile SET password_hash = :h WHERE username = 'clerk1'"),
            {"h": hash_password(new_password)},
        ).rowcount
    server_db.dispose()
    assert changed == 1
    with pytest.raises(ApiError) as refused:
        sign_in(live_server.url, "clerk1", new_password, base_dir=tmp_path)
    assert refused.value.kind == "previous_password"
    moved = sign_in(
        live_server.url,
        "clerk1",
        new_password,
        base_dir=tmp_path,
        previous_password=DEMO_PASSWORD,
    )
    assert moved.online and moved.store.count("case") > 0
    assert keys.unlock_with_password(new_password) == moved.data_key
    assert keys.unlock_with_password(DEMO_PASSWORD) is None
    moved.store.engine.dispose()


def test_a_plain_copy_is_encrypted_at_first_start_keeping_every_record_and_pending_edit(
    live_server: LiveServer, no_keyring: None, tmp_path: Path
) -> None:
    # A copy as the previous version left it: plain SQLite, plain cached PDF, a pending edit.
    path = store_path(live_server.url, "clerk1", tmp_path)
    plain = LocalStore(path)
    client = ApiClient(live_server.url, client_id=plain.client_id)
    client.login("clerk1", DEMO_PASSWORD)
    remember_password(plain, DEMO_PASSWORD)
    cache = DocumentCache(plain, tmp_path / "documents", 500 * 1024 * 1024)
    engine = SyncEngine(client, plain, cache=cache, page_size=200)
    engine.sync_once()
    document = plain.all("document")[0]
    plain_pdf = cache.open(document["sha256"], engine.fetch).read_bytes()
    hearing = Hearing.model_validate(plain.all("hearing")[0])
    mutation = plain.save(hearing.model_copy(update={"duration_minutes": 85}))
    before = {e: sorted(r["id"] for r in plain.all(e)) for e in ("case", "hearing", "document")}
    client_id = plain.client_id
    plain.engine.dispose()
    assert path.read_bytes().startswith(SQLITE_HEADER)

    session = sign_in(live_server.url, "clerk1", DEMO_PASSWORD, base_dir=tmp_path)
    assert session.store.encrypted and not path.read_bytes().startswith(SQLITE_HEADER)
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".encrypting")]
    after = {e: sorted(r["id"] for r in session.store.all(e)) for e in before}
    assert after == before
    assert [e.mutation_id for e in session.store.pending()] == [mutation]
    assert session.store.client_id == client_id
    sealed_cache = _cache(session, tmp_path)
    assert sealed_cache.plain_files() != []
    assert sealed_cache.encrypt_plain_files() == 1
    assert sealed_cache.plain_files() == []
    sealed = sealed_cache.path(document["sha256"]).read_bytes()
    assert sealed.startswith(SEALED_MAGIC) and plain_pdf not in sealed
    assert sealed_cache.read(document["sha256"], None) == plain_pdf
    SyncEngine(session.client, session.store, page_size=200).sync_once()
    assert session.store.pending_count() == 0
    assert session.store.get("hearing", hearing.id)["duration_minutes"] == 85  # type: ignore[index]
    session.store.engine.dispose()


def test_the_viewer_opens_a_document_from_the_encrypted_cache_offline(
    qtbot: QtBot,
    live_server: LiveServer,
    no_keyring: None,
    settings: Settings,
    tmp_path: Path,
) -> None:
    session = _synced(live_server, tmp_path)
    cache = _cache(session, tmp_path)
    engine = SyncEngine(session.client, session.store, cache=cache)
    document = session.store.all("document")[0]
    cache.open(document["sha256"], engine.fetch)
    controller = SyncController(engine, interval_seconds=3600)
    ctx = DesktopContext(settings, session, controller, cache=cache)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    try:
        controller._set(online=False)  # from the cache only
        window.open_document(document["id"])
        qtbot.waitUntil(
            lambda: bool(window.viewers) and window.viewers[0].view.page_count() > 0,
            timeout=15_000,
        )
        assert document["title"] in window.viewers[0].windowTitle()
    finally:
        for viewer in list(window.viewers):
            viewer.close()
        controller.stop()
        ctx.writer.waitForDone(5000)
        session.store.engine.dispose()


def test_removing_this_computers_copy_never_loses_an_unsent_edit(
    live_server: LiveServer,
    memory_keyring: MemoryKeyring,  # noqa: F811
    tmp_path: Path,
) -> None:
    session = _synced(live_server, tmp_path)
    cache = _cache(session, tmp_path)
    engine = SyncEngine(session.client, session.store, cache=cache, page_size=200)
    cache.open(session.store.all("document")[0]["sha256"], engine.fetch)
    hearing = Hearing.model_validate(session.store.all("hearing")[0])
    session.store.save(hearing.model_copy(update={"duration_minutes": 70}))
    files = local_copy_files(session.store.path)
    with pytest.raises(CopyNotRemoved, match="1 change made on this computer has not"):
        sign_out_and_remove(session, cache.folder)
    assert all(p.exists() for p in files) and any(cache.folder.rglob("*"))
    assert session.client.session is not None  # not signed out either
    engine.sync_once()
    assert session.store.pending_count() == 0
    result = sign_out_and_remove(session, cache.folder)
    assert result.message == "You are signed out. This computer's copy was removed."
    assert not any(p.exists() for p in files) and not cache.folder.exists()
    assert list((tmp_path / "stores").iterdir()) == []
    assert memory_keyring.entries == {}


def test_it_can_require_the_removal_and_the_window_refuses_while_edits_wait(
    qtbot: QtBot,
    live_server: LiveServer,
    no_keyring: None,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings._system.setValue(REMOVE_COPY_ON_SIGN_OUT.key, True)
    settings._system.setValue(f"locked/{REMOVE_COPY_ON_SIGN_OUT.key}", True)
    session = _synced(live_server, tmp_path)
    cache = _cache(session, tmp_path)
    controller = SyncController(
        SyncEngine(session.client, session.store, cache=cache), interval_seconds=3600
    )
    ctx = DesktopContext(settings, session, controller, cache=cache)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    said: list[str] = []
    monkeypatch.setattr(
        "desktop.ui.main_window.QMessageBox.warning",
        lambda _parent, _title, text: said.append(text),
    )
    monkeypatch.setattr(
        "desktop.ui.main_window.QMessageBox.question",
        lambda _parent, _title, text: said.append(text) or QMessageBox.StandardButton.Yes,
    )
    hearing = Hearing.model_validate(session.store.all("hearing")[0])
    edit = session.store.save(hearing.model_copy(update={"duration_minutes": 65}))
    window.sign_out_action.trigger()  # the plain sign-out: IT requires the removal
    qtbot.waitUntil(lambda: bool(said), timeout=5_000)  # the count is read off the GUI thread
    assert "1 change made here has not reached the server" in said[-1]
    assert "requires the removal" in said[-1]
    assert session.store.path.exists() and [e.mutation_id for e in session.store.pending()] == [
        edit
    ]
    controller.engine.sync_once()
    assert session.store.pending_count() == 0
    files = local_copy_files(session.store.path)
    with qtbot.waitSignal(window.signed_out, timeout=30_000) as signed_out:
        window.sign_out_action.trigger()
    assert "your court requires it" in said[-1]
    assert signed_out.args == ["You are signed out. This computer's copy was removed."]
    assert not any(p.exists() for p in files)
    ctx.writer.waitForDone(5000)


def test_the_sign_in_window_asks_for_the_previous_password_only_when_the_copy_needs_it(
    qtbot: QtBot, settings: Settings
) -> None:
    dialog = SignInDialog(settings)
    qtbot.addWidget(dialog)
    assert not dialog.form.isRowVisible(dialog.previous)
    dialog._failed(ApiError("The password is wrong.", kind="auth"))
    assert not dialog.form.isRowVisible(dialog.previous)
    dialog._failed(ApiError(COPY_LOCKED_NOTICE, kind="previous_password"))
    assert dialog.form.isRowVisible(dialog.previous)
    assert dialog.error.text() == COPY_LOCKED_NOTICE
