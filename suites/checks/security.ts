// Security checks (the suite-defined statements CUS-SEC-*): hostile input is refused (4xx) or stored exactly
// as sent, never answered 5xx, never reflected unescaped; the list endpoint and error responses show other
// entities and bad credentials no customer data.
//
// Every payload is harmless on a target that does concatenate it into a query: it breaks the syntax or is
// inert, and carries no statement separators, comment sequences, DDL/DML keywords or sleeps, so even a
// vulnerable staging database changes nothing beyond the check's own customer. Payloads go into a free-text
// field other than the marker field, so every customer the checks create still carries the run marker.
import type { Check } from '../model/check.ts';
import { inputChecks } from './security/input.ts';
import { leakChecks } from './security/leak.ts';
import { reflectChecks } from './security/reflect.ts';

export const securityChecks: Check[] = [...inputChecks, ...reflectChecks, ...leakChecks];
