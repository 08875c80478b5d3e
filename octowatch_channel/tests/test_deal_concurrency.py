# Copyright 2026 Kolibri LLC
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import threading

from stdnum.ru import inn

from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, tagged

ROUNDS = 50


def race_tins(count):
    """Valid TINs of a range no other test nor demo record uses."""
    for i in range(count):
        base = f"79{i:07d}"
        yield base + inn.calc_company_check_digit(base)


@tagged("post_install", "-at_install")
class TestDealConcurrency(TransactionCase):
    """Two transactions register the same TIN at the same moment.

    The registrations run in threads on their own committed cursors, as two requests
    of two workers would; what they create is committed, so it is deleted at the end.
    The test's own transaction is not used: its data would be invisible to them.
    """

    def _committed_env(self):
        return api.Environment(self.registry.cursor(), SUPERUSER_ID, {})

    def _create_committed_data(self):
        env = self._committed_env()
        with env.cr:
            russia = env.ref("base.ru")
            agents = env["res.partner"].create(
                [
                    {
                        "name": f"Race Agent {i}",
                        "is_company": True,
                        "country_id": russia.id,
                        "vat": tin,
                        "octowatch_role": "agent",
                        "octowatch_legal_form": "legal_entity",
                    }
                    for i, tin in enumerate(("7745678901", "7734567893"))
                ]
            )
            product = env["product.template"].create(
                {
                    "name": "OctoWatch Race Edition",
                    "type": "service",
                    "octowatch_is_license": True,
                    "octowatch_version_code": "TRACE",
                }
            )
            return agents.ids, product.product_variant_id.id

    def _delete_committed_data(self, agent_ids, product_id, tins):
        env = self._committed_env()
        with env.cr:
            env["octowatch.deal.registration"].search(
                [("agent_id", "in", agent_ids)]
            ).unlink()
            env["res.partner"].with_context(active_test=False).search(
                [("vat", "in", tins), ("parent_id", "=", False)]
            ).unlink()
            env["res.partner"].browse(agent_ids).unlink()
            env["product.product"].browse(product_id).product_tmpl_id.unlink()

    def _register_in_thread(
        self, env, barrier, agent_id, product_id, tin, results, index
    ):
        try:
            with env.cr:
                # Both transactions start before either registers, so neither can
                # see the other's deal: only the unique index can tell them apart.
                env.cr.execute("SELECT 1")
                barrier.wait(timeout=20)
                deal = env["octowatch.deal.registration"]._register_deal(
                    env["res.partner"].browse(agent_id),
                    tin,
                    f"Race Customer {tin}",
                    env["product.product"].browse(product_id),
                    1,
                )
                results[index] = (deal.state, deal.rejection_reason)
        except Exception as exc:  # noqa: BLE001 - reported by the main thread
            results[index] = exc
            barrier.abort()

    def test_simultaneous_registrations_have_one_winner(self):
        tins = list(race_tins(ROUNDS))
        agent_ids, product_id = self._create_committed_data()
        try:
            for tin in tins:
                # The loser's INSERT is refused by the index, which the ORM logs as
                # a bad query: capturing it proves the index, not the pre-check,
                # decided.
                with self.assertLogs("odoo.sql_db", level="ERROR") as logs:
                    barrier = threading.Barrier(2)
                    results = [None, None]
                    # Environments are made here: the test runner holds the registry
                    # lock, which only this thread may take again.
                    threads = [
                        threading.Thread(
                            target=self._register_in_thread,
                            args=(
                                self._committed_env(),
                                barrier,
                                agent_id,
                                product_id,
                                tin,
                                results,
                                i,
                            ),
                        )
                        for i, agent_id in enumerate(agent_ids)
                    ]
                    for thread in threads:
                        thread.start()
                    for thread in threads:
                        thread.join(timeout=60)
                    for result in results:
                        self.assertIsNotNone(result, f"TIN {tin}: a registration hung")
                        if isinstance(result, Exception):
                            self.fail(f"TIN {tin}: a registration failed: {result!r}")
                    states = sorted(state for state, _reason in results)
                    self.assertEqual(states, ["registered", "rejected"], tin)
                reason = next(r for s, r in results if s == "rejected")
                self.assertIn("Already registered", reason)
                self.assertIn("unique_live_tin", "\n".join(logs.output))
            env = self._committed_env()
            with env.cr:
                deals = env["octowatch.deal.registration"].search(
                    [("agent_id", "in", agent_ids)]
                )
                self.assertEqual(len(deals), 2 * ROUNDS)
                self.assertEqual(
                    sorted(
                        deals.filtered(lambda d: d.state == "registered").mapped("tin")
                    ),
                    sorted(tins),
                )
                customers = env["res.partner"].search(
                    [("vat", "in", tins), ("parent_id", "=", False)]
                )
                self.assertEqual(len(customers), ROUNDS, "one customer per TIN")
        finally:
            self._delete_committed_data(agent_ids, product_id, tins)
