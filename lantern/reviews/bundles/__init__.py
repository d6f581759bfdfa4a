"""Review bundles: a folder or .zip holding `review.yaml` and the files it names.

`bundle_import` creates a review from one, all or nothing; `bundle_export` writes one that
imports back to the same review. The format is described in docs/bundles.md; `schema` reads and
checks it without Django, `archive` reads folders and archives, `importer` and `exporter` talk to
the database.
"""

from .exporter import bundle_export
from .importer import bundle_import
from .schema import BUNDLE_FORMAT_VERSION

__all__ = ["BUNDLE_FORMAT_VERSION", "bundle_export", "bundle_import"]
