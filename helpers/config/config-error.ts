// A configuration (or command line) the suite cannot run with: one line per problem, naming the variable
// and the fix; callers turn it into exit code 2. A module of its own, so a command's argument parsing
// needs nothing else.
export class ConfigError extends Error {
  override name = 'ConfigError';
}
