// Minimal Node.js globals for type-checking programs without @types/node (Debian ships no
// package for it). Values are typed loosely on purpose: this is a sandbox, not a type library.
declare var require: (id: string) => any;
declare var process: {
  argv: string[];
  env: { [key: string]: string | undefined };
  exit(code?: number): never;
  exitCode: number | undefined;
  stdin: any;
  stdout: { write(s: string | Uint8Array): boolean };
  stderr: { write(s: string | Uint8Array): boolean };
};
declare var module: any;
declare var exports: any;
declare var __dirname: string;
declare var __filename: string;
declare var Buffer: any;
