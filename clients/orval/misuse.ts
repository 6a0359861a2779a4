/**
 * Misuses of the API that orval's types must reject (see fetch/misuse.ts): an error on
 * exactly the lines marked MISUSE.
 */
import { getCountry, listCountries, listPriorities } from "../generated/orval/summit.js";

export async function misuse(): Promise<unknown[]> {
  const seen: unknown[] = [];
  const countries = await listCountries({ limit: 10 });
  if (countries.status !== 200) return seen;
  const first = countries.data.items[0];
  if (first === undefined) return seen;

  seen.push(await listPriorities({ theme: ["atlantis"] })); // MISUSE: unknown theme
  seen.push(await listPriorities({ fields: ["colour"] })); // MISUSE: unknown fields name
  seen.push(await listCountries({ sort: ["population"] })); // MISUSE: unknown sort key
  seen.push(first.nmae); // MISUSE: misspelled field
  seen.push(await listCountries({ limit: "ten" })); // MISUSE: wrong parameter type
  seen.push(await listCountries({ colour: "red" })); // MISUSE: unknown query parameter
  const missing = await getCountry("atlantis");
  if (missing.status === 404) seen.push(missing.data.items); // MISUSE: a problem has no items
  const total: string = countries.data.total; // MISUSE: total is a number
  seen.push(total);
  return seen;
}
