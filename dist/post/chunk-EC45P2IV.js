import { createRequire as __bundleCreateRequire } from 'node:module';
import { fileURLToPath as __bundleFileURLToPath } from 'node:url';
const require = __bundleCreateRequire(import.meta.url);
const __filename = __bundleFileURLToPath(import.meta.url);
const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));
import{a as e,b as r}from"./chunk-V23N3VZD.js";var p=r((s,i)=>{i.exports=e("node:process")});var q=r((t,o)=>{o.exports=e("node:util")});export{q as a,p as b};
