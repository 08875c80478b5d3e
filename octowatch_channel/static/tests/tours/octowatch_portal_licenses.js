import {registry} from "@web/core/registry";

// An end customer logs in and opens its licences from the portal home.
registry.category("web_tour.tours").add("octowatch_portal_licenses", {
    url: "/my",
    steps: () => [
        {
            content: "Open the licences tile",
            trigger: "a[href='/my/licenses']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The licence of the customer is listed",
            trigger: "table:contains(Tour Standard):contains(Alfa Client JSC)",
        },
    ],
});
