"""The password hash's parameters (issue 16's sign-in storm): argon2id at OWASP's minimum
configuration (19 MiB, 2 passes, 1 lane), and a hash made with the parameters the server
used before (argon2-cffi's default: 64 MiB, 3 passes, 4 lanes) still signs in and is
replaced by one at the current parameters at that sign-in."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from flask import Flask
from sqlalchemy import func, select

from sync_server.models import UserRow
from sync_server.services import auth
from tests.conftest import DEMO_PASSWORD, Api

CURRENT = "$argon2id$v=19$m=19456,t=2,p=1$"
BEFORE = "$argon2id$v=19$m=65536,t=3,p=4$"


@pytest.mark.real_argon2
def test_a_new_hash_has_the_owasp_minimum_parameters() -> None:
    made = auth.hash_password("correct horse battery staple")
    assert made.startswith(CURRENT)
    assert PasswordHasher().verify(made, "correct horse battery staple")


@pytest.mark.real_argon2
def test_an_older_hash_signs_in_and_is_rehashed(seeded_app: Flask) -> None:
    factory = seeded_app.extensions["ecas"].factory
    name = "attorney3"
    with factory() as session, session.begin():
        user = session.scalar(select(UserRow).where(func.lower(UserRow.username) == name))
        assert user is not None
        user.password_hash = PasswordHasher().hash(DEMO_PASSWORD)  # the old parameters
        assert user.password_hash.startswith(BEFORE)
    Api(seeded_app.test_client()).login(name)
    with factory() as session:
        stored = session.scalar(
            select(UserRow.password_hash).where(func.lower(UserRow.username) == name)
        )
    assert stored is not None and stored.startswith(CURRENT)
    assert PasswordHasher().verify(stored, DEMO_PASSWORD)
