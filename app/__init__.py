"""Summit API: a read-only REST API over the Central Asia–China summits dataset."""
