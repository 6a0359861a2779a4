/**
 * A typed client of the Summit API with openapi-fetch in its default setup
 * (`createClient<paths>()`), on the types openapi-typescript generates from /openapi.json
 * (generated/openapi.ts, made by tests/test_typed_client.py, not committed). No cast, no
 * media-type generic, no typeof check: `data` is the JSON type.
 *
 * Run: node dist/fetch/client.js http://127.0.0.1:8000 — prints what it saw as one JSON
 * object (the same shape as orval/client.ts and python/use_client.py print).
 */
import createClient from "openapi-fetch";

import type { components, paths } from "../generated/openapi.js";
import { fail, paging, parseLinks } from "../shared/links.js";

const api = createClient<paths>({ baseUrl: process.argv[2] ?? fail("usage", "BASE_URL") });
type Problem = components["schemas"]["Problem"];

const countries = await api.GET("/countries", { params: { query: { limit: 200, sort: ["name"] } } });
if (countries.data === undefined) fail("GET /countries", countries.error);

const first = await api.GET("/countries/{country_id}/priorities", {
  params: { path: { country_id: "kg" }, query: { limit: 2 } },
});
if (first.data === undefined) fail("GET /countries/kg/priorities", first.error);
const next = parseLinks(first.response.headers.get("link")).get("next");
if (next === undefined) fail("no next link", first.response.headers.get("link"));
const second = await api.GET("/countries/{country_id}/priorities", {
  params: { path: { country_id: "kg" }, query: paging(next) },
});
if (second.data === undefined) fail(next, second.error);

const sparse = await api.GET("/priorities", {
  params: { query: { fields: ["id", "title"], limit: 3 } },
});
if (sparse.data === undefined) fail("GET /priorities?fields=id,title", sparse.error);

const energy = await api.GET("/priorities", { params: { query: { theme: ["energy"] } } });
if (energy.data === undefined) fail("GET /priorities?theme=energy", energy.error);

const missing = await api.GET("/countries/{country_id}", {
  params: { path: { country_id: "atlantis" } },
});
if (missing.error === undefined) fail("GET /countries/atlantis did not fail", missing.data);
const problem: Problem = missing.error;

const kg = await api.GET("/countries/{country_id}", { params: { path: { country_id: "kg" } } });
if (kg.data === undefined) fail("GET /countries/kg", kg.error);
const etag = kg.response.headers.get("etag") ?? fail("no ETag", kg.response.status);
const again = await api.GET("/countries/{country_id}", {
  params: { path: { country_id: "kg" } },
  headers: { "If-None-Match": etag },
});
if (again.response.status !== 304) fail("If-None-Match did not give 304", again.response.status);

console.log(
  JSON.stringify({
    countries: countries.data.total,
    country_ids: countries.data.items.map((c) => c.id),
    leaders: countries.data.items.map((c) => `${c.name}: ${c.leader?.name ?? "none"}`),
    first_page: { total: first.data.total, ids: first.data.items.map((p) => p.id) },
    next_link: next,
    second_page: {
      status: second.response.status,
      offset: second.data.offset,
      limit: second.data.limit,
      ids: second.data.items.map((p) => p.id),
      countries: [...new Set(second.data.items.map((p) => p.country?.id))],
    },
    sparse: sparse.data.items.map((p) => Object.keys(p).sort()),
    theme: { total: energy.data.total, ids: energy.data.items.map((p) => p.id) },
    problem: {
      http_status: missing.response.status,
      content_type: missing.response.headers.get("content-type"),
      status: problem.status,
      type: problem.type,
      detail: problem.detail,
      errors: problem.errors ?? "absent",
    },
    not_modified: { status: again.response.status, name: kg.data.name, etag },
  }),
);
