import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
console.log("cli todo");
//# sourceMappingURL=cli.js.map
