"""The case log: the SQLite file, its migrations, writing cases, the list, the audit chain, attachments, organisations, import and export."""
