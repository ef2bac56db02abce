var n={version:"1.0.0"};export{n as a};
//# sourceMappingURL=chunk-C7VC73B7.js.map
