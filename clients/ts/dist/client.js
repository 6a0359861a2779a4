/**
 * A small typed client of the Summit API, written against the types openapi-typescript
 * generates from /openapi.json (src/generated/openapi.ts, made by the test, not committed).
 *
 * Run: node dist/client.js http://127.0.0.1:8000
 * It lists the countries, reads Kyrgyzstan's priorities a page at a time, follows the
 * `next` link, and handles a 404 problem; then prints what it saw as one JSON object.
 */
import createClient from "openapi-fetch";
const PROBLEM_MEDIA_TYPE = "application/problem+json";
/** RFC 8288 `Link` header -> rel -> target. Enough for the API's own links. */
export function parseLinks(header) {
    const links = new Map();
    for (const part of (header ?? "").split(/,\s*(?=<)/)) {
        const match = /^<([^>]*)>\s*;\s*rel="([^"]+)"/.exec(part.trim());
        if (match?.[1] !== undefined && match[2] !== undefined) {
            links.set(match[2], match[1]);
        }
    }
    return links;
}
async function main(baseUrl) {
    const api = createClient({ baseUrl });
    const countries = await api.GET("/countries", {
        params: { query: { limit: 200, sort: "name" } },
    });
    if (countries.data === undefined) {
        throw new Error(`GET /countries: ${JSON.stringify(countries.error)}`);
    }
    const leaders = countries.data.items.map((c) => `${c.name}: ${c.leader?.name ?? "none"}`);
    const first = await api.GET("/countries/{country_id}/priorities", {
        params: { path: { country_id: "kg" }, query: { limit: 2 } },
    });
    if (first.data === undefined) {
        throw new Error(`GET /countries/kg/priorities: ${JSON.stringify(first.error)}`);
    }
    const next = parseLinks(first.response.headers.get("link")).get("next");
    if (next === undefined) {
        throw new Error("the first page of priorities has no next link");
    }
    const nextResponse = await fetch(new URL(next, baseUrl));
    const second = (await nextResponse.json());
    const missing = await api.GET("/countries/{country_id}", {
        params: { path: { country_id: "atlantis" } },
    });
    if (missing.error === undefined) {
        throw new Error("GET /countries/atlantis did not fail");
    }
    const problem = missing.error;
    const contentType = missing.response.headers.get("content-type") ?? "";
    console.log(JSON.stringify({
        countries: countries.data.total,
        country_ids: countries.data.items.map((c) => c.id),
        leaders,
        first_page: { total: first.data.total, ids: first.data.items.map((p) => p.id) },
        next_link: next,
        second_page: {
            status: nextResponse.status,
            offset: second.offset,
            limit: second.limit,
            ids: second.items.map((p) => p.id),
            countries: [...new Set(second.items.map((p) => p.country.id))],
        },
        problem: {
            http_status: missing.response.status,
            is_problem_json: contentType.startsWith(PROBLEM_MEDIA_TYPE),
            status: problem.status,
            type: problem.type,
            detail: problem.detail,
        },
    }));
}
const baseUrl = process.argv[2];
if (baseUrl === undefined) {
    console.error("usage: node dist/client.js BASE_URL");
    process.exit(2);
}
await main(baseUrl);
