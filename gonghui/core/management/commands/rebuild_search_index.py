from django.core.management.base import BaseCommand, CommandError

from gonghui.core import search


class Command(BaseCommand):
    help = "Rebuild the full-text index of one kind or of all kinds (after an upgrade of the segmenter)."

    def add_arguments(self, parser):
        parser.add_argument("kinds", nargs="*", help="kinds to rebuild (default: all)")

    def handle(self, *args, kinds=None, **options):
        unknown = set(kinds or []) - set(search.kinds())
        if unknown:
            raise CommandError(f"unknown kinds: {', '.join(sorted(unknown))}; known: {', '.join(search.kinds())}")
        for kind in kinds or search.kinds():
            self.stdout.write(f"{kind}: {search.rebuild(kind)} documents")
