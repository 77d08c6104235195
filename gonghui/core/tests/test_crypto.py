import base64
import os

import pytest
from cryptography.exceptions import InvalidTag
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from gonghui.core import audit
from gonghui.core.crypto import blind_index, keyring
from gonghui.core.models import AuditEvent
from gonghui.members.models import Person


def _raw_id_number(pk):
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM members_person WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_sensitive_field_is_ciphertext_in_the_database(world):
    alice = Person.objects.get(name="李爱丽")
    raw = _raw_id_number(alice.pk)
    assert raw.startswith("enc1$") and "310101199003070027" not in raw
    assert alice.id_number == "310101199003070027"


def test_blind_index_finds_the_person_without_decrypting(world):
    found = Person.objects.get(id_number_bidx=blind_index("310101 19900307 0027"))
    assert found.name == "李爱丽"
    assert blind_index("310101199003070027") != blind_index("310104198811230011")


def test_key_rotation_reencrypts_everything_and_old_key_can_go(world):
    old_spec = keyring().primary + ":" + base64.urlsafe_b64encode(keyring().keys[keyring().primary]).decode()
    new_spec = "k2:" + base64.urlsafe_b64encode(os.urandom(32)).decode()
    with override_settings(FIELD_ENCRYPTION_KEYS=f"{new_spec},{old_spec}"):
        call_command("rotate_field_keys")
        alice = Person.objects.get(name="李爱丽")
        assert _raw_id_number(alice.pk).startswith("enc1$k2$")
    with override_settings(FIELD_ENCRYPTION_KEYS=new_spec):
        assert Person.objects.get(pk=alice.pk).id_number == "310101199003070027"


def test_tampered_ciphertext_fails_to_decrypt(world):
    alice = Person.objects.get(name="李爱丽")
    raw = _raw_id_number(alice.pk)
    tampered = raw[:-4] + ("AAAA" if not raw.endswith("AAAA") else "BBBB")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE members_person SET id_number = %s WHERE id = %s", [tampered, alice.pk])
    with pytest.raises(InvalidTag):
        Person.objects.get(pk=alice.pk)


def test_full_read_is_audited(world):
    alice = Person.objects.get(name="李爱丽")
    value = audit.reveal(actor=world.users["district_a"], obj=alice, field="id_number", reason="home visit")
    assert value == "310101199003070027"
    event = AuditEvent.objects.filter(action="sensitive.read").get()
    assert event.actor == world.users["district_a"] and event.after == {"field": "id_number"}
    assert "310101199003070027" not in str(event.after) + event.note
