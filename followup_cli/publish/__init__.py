"""Every file the tool writes: workbooks, documents, calendars, charts, the annotated copy, the new workspace.

Sits above the domain (register, risk, plan), which never imports it. Writes are atomic.
"""
