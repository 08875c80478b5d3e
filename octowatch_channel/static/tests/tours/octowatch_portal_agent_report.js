import {registry} from "@web/core/registry";

// An agent opens its commissions from the portal home and accepts its report.
registry.category("web_tour.tours").add("octowatch_portal_agent_report", {
    url: "/my",
    steps: () => [
        {
            content: "Open the commissions tile",
            trigger: "a[href='/my/commissions']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The report waits for the agent, with its PDF",
            trigger: "tr[data-report] a[href^='/my/commissions/reports/']",
        },
        {
            content: "Accept the report",
            trigger: "tr[data-report] button[name=accept]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The report is accepted",
            trigger: ".alert-success:contains(the report is accepted)",
        },
        {
            content: "No report is left to accept",
            trigger: "body:not(:has(button[name=accept]))",
        },
    ],
});
