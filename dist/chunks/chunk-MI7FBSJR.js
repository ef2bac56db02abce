function r(n){if(n)try{return JSON.parse(n)}catch{return}}function t(n){let e=r(n);return e&&typeof e=="object"&&!Array.isArray(e)?e:void 0}export{r as a,t as b};
//# sourceMappingURL=chunk-MI7FBSJR.js.map
