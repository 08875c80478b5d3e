import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_utils";

// Staff confirm a channel request from the Inbox, then settle the commissions.
registry.category("web_tour.tours").add("octowatch_backoffice", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the OctoWatch Channel app: its overview",
            trigger: ".o_app[data-menu-xmlid='octowatch_channel.menu_octowatch_root']",
            run: "click",
        },
        {
            content: "Open the Inbox",
            trigger:
                ".o_main_navbar [data-menu-xmlid='octowatch_channel.menu_octowatch_inbox']",
            run: "click",
        },
        {
            content: "Open the partner's request",
            trigger: ".o_kanban_record:contains(Test Reseller LLC)",
            run: "click",
        },
        {
            content: "Confirm it",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The request links to its quotation",
            trigger: ".o_form_view button[name=action_view_sale_order]",
        },
        {
            content: "Open the Commissions menu",
            trigger:
                ".o_main_navbar [data-menu-xmlid='octowatch_channel.menu_octowatch_commissions']",
            run: "click",
        },
        {
            content: "Open Settle Commissions",
            trigger: "[data-menu-xmlid='octowatch_channel.menu_octowatch_commission_settle']",
            run: "click",
        },
        {
            content: "The preview lists the agent to pay",
            trigger: ".modal .o_field_widget[name=preview]:contains(Test Agent LLC)",
        },
        {
            content: "Create the vendor bills",
            trigger: ".modal button[name=action_settle]",
            run: "click",
        },
        {
            content: "The bills are shown",
            trigger: ".o_list_view .o_data_row:contains(Test Agent LLC)",
        },
    ],
});
