/**
 * Misuses of the API that the openapi-typescript types must reject. tests/test_typed_client.py
 * runs `tsc -p tsconfig.misuse.json` and expects an error on exactly the lines marked MISUSE
 * (in this file and orval/misuse.ts), and on no other line.
 */
import createClient from "openapi-fetch";

import type { paths } from "../generated/openapi.js";

const api = createClient<paths>({ baseUrl: "http://127.0.0.1:8000" });

export async function misuse(): Promise<unknown[]> {
  const seen: unknown[] = [];
  const countries = await api.GET("/countries", { params: { query: { limit: 10 } } });
  if (countries.data === undefined) return seen;
  const first = countries.data.items[0];
  if (first === undefined) return seen;

  seen.push(await api.GET("/priorities", { params: { query: { theme: ["atlantis"] } } })); // MISUSE: unknown theme
  seen.push(await api.GET("/priorities", { params: { query: { fields: ["colour"] } } })); // MISUSE: unknown fields name
  seen.push(await api.GET("/countries", { params: { query: { sort: ["population"] } } })); // MISUSE: unknown sort key
  seen.push(first.nmae); // MISUSE: misspelled field
  seen.push(await api.GET("/countries", { params: { query: { limit: "ten" } } })); // MISUSE: wrong parameter type
  seen.push(await api.GET("/countrys", {})); // MISUSE: unknown path
  seen.push(await api.GET("/countries", { params: { query: { colour: "red" } } })); // MISUSE: unknown query parameter
  seen.push(await api.GET("/countries", { params: { query: { format: "xml" } } })); // MISUSE: value outside the enum
  seen.push(await api.GET("/countries/{country_id}", { params: { path: { country: "kg" } } })); // MISUSE: wrong path parameter name
  seen.push(await api.POST("/countries", {})); // MISUSE: a write method on a read-only API
  seen.push(first.leader.name); // MISUSE: the leader may be null
  const total: string = countries.data.total; // MISUSE: total is a number
  seen.push(total);
  return seen;
}
