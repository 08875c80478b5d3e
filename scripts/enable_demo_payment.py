# Run by scripts/run.sh in `odoo shell`: Odoo's Demo payment provider enabled in test
# mode and published in every company, so that a Partner's invoice can be paid on the
# portal of a `make run` database. A real deployment enables its own provider instead.
demo = env.ref("payment.payment_provider_demo", raise_if_not_found=False)  # noqa: F821
if demo:
    Provider = env["payment.provider"].with_context(active_test=False)  # noqa: F821
    companies = env["res.company"].search([])  # noqa: F821
    for company in companies:
        provider = Provider.search(
            [("code", "=", "demo"), ("company_id", "=", company.id)], limit=1
        ) or demo.copy({"company_id": company.id})
        provider.write({"state": "test", "is_published": True})
    env.cr.commit()  # noqa: F821
    # odoo_shell filters Odoo's noise with grep, which fails on no output at all.
    print(f"[run] Demo payment provider in test mode in {len(companies)} companies")
else:
    print("[run] payment_demo is not installed: no online payment on this database")
