# ruff: noqa: F821 - run in `odoo shell`, which provides env
"""Uninstall octowatch_channel from the soaked database and say whether it went."""

module = env["ir.module.module"].search([("name", "=", "octowatch_channel")])
module.button_immediate_uninstall()
env.cr.commit()
env.cr.execute("SELECT state FROM ir_module_module WHERE name = 'octowatch_channel'")
state = env.cr.fetchone()[0]
env.cr.execute("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'octowatch%%'")
tables = env.cr.fetchone()[0]
print(f"module state {state}, {tables} octowatch tables left")
if state == "uninstalled" and not tables:
    print("SOAK-UNINSTALL: uninstalled")
else:
    print("SOAK-UNINSTALL: FAILED")
