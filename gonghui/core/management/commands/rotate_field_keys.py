from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from gonghui.core.crypto import EncryptedTextField, reencrypt_value


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field under the primary key (the first in GONGHUI_FIELD_KEYS). "
        "Put the new key first, keep the old one after it, run this, then drop the old key."
    )

    def handle(self, *args, **options):
        total = 0
        for model in apps.get_models():
            fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
            if not fields:
                continue
            table = connection.ops.quote_name(model._meta.db_table)
            pk = connection.ops.quote_name(model._meta.pk.column)
            for field in fields:
                column = connection.ops.quote_name(field.column)
                changed = 0
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(f"SELECT {pk}, {column} FROM {table} WHERE {column} <> ''")  # noqa: S608
                    for row_pk, token in cursor.fetchall():
                        new = reencrypt_value(token)
                        if new:
                            cursor.execute(f"UPDATE {table} SET {column} = %s WHERE {pk} = %s", [new, row_pk])  # noqa: S608
                            changed += 1
                total += changed
                self.stdout.write(f"{model._meta.label}.{field.name}: {changed} re-encrypted")
        self.stdout.write(f"done: {total} values re-encrypted")
