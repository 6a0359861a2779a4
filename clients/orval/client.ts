/**
 * A typed client of the Summit API on orval's fetch client (generated/orval/summit.ts,
 * made by tests/test_typed_client.py from the live server's document, not committed). Each
 * call answers `{ status, data, headers }`, a union discriminated by status: once the status
 * is checked, `data` is the JSON type (or the Problem) with no cast and no typeof check.
 *
 * Run: node dist/orval/client.js — prints the same JSON object as fetch/client.ts.
 */
import {
  getCountry,
  getCountryPriorities,
  listCountries,
  listPriorities,
  type Problem,
} from "../generated/orval/summit.js";
import { fail, paging, parseLinks } from "../shared/links.js";

const countries = await listCountries({ limit: 200, sort: ["name"] });
if (countries.status !== 200) fail("GET /countries", countries);

const first = await getCountryPriorities("kg", { limit: 2 });
if (first.status !== 200) fail("GET /countries/kg/priorities", first);
const next = parseLinks(first.headers.get("link")).get("next");
if (next === undefined) fail("no next link", first.headers.get("link"));
const second = await getCountryPriorities("kg", paging(next));
if (second.status !== 200) fail(next, second);

const sparse = await listPriorities({ fields: ["id", "title"], limit: 3 });
if (sparse.status !== 200) fail("GET /priorities?fields=id,title", sparse);

const energy = await listPriorities({ theme: ["energy"] });
if (energy.status !== 200) fail("GET /priorities?theme=energy", energy);

const missing = await getCountry("atlantis");
if (missing.status !== 404) fail("GET /countries/atlantis did not give 404", missing);
const problem: Problem = missing.data;

const kg = await getCountry("kg");
if (kg.status !== 200) fail("GET /countries/kg", kg);
const etag = kg.headers.get("etag") ?? fail("no ETag", kg.status);
const again = await getCountry("kg", undefined, { headers: { "If-None-Match": etag } });
if (again.status !== 304) fail("If-None-Match did not give 304", again.status);

console.log(
  JSON.stringify({
    countries: countries.data.total,
    country_ids: countries.data.items.map((c) => c.id),
    leaders: countries.data.items.map((c) => `${c.name}: ${c.leader?.name ?? "none"}`),
    first_page: { total: first.data.total, ids: first.data.items.map((p) => p.id) },
    next_link: next,
    second_page: {
      status: second.status,
      offset: second.data.offset,
      limit: second.data.limit,
      ids: second.data.items.map((p) => p.id),
      countries: [...new Set(second.data.items.map((p) => p.country?.id))],
    },
    sparse: sparse.data.items.map((p) => Object.keys(p).sort()),
    theme: { total: energy.data.total, ids: energy.data.items.map((p) => p.id) },
    problem: {
      http_status: missing.status,
      content_type: missing.headers.get("content-type"),
      status: problem.status,
      type: problem.type,
      detail: problem.detail,
      errors: problem.errors ?? "absent",
    },
    not_modified: { status: again.status, name: kg.data.name, etag },
  }),
);
