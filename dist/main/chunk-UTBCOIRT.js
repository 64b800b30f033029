import { createRequire as __bundleCreateRequire } from 'node:module';
import { fileURLToPath as __bundleFileURLToPath } from 'node:url';
const require = __bundleCreateRequire(import.meta.url);
const __filename = __bundleFileURLToPath(import.meta.url);
const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));
import{a as e,b as r}from"./chunk-XFFZEZCW.js";var u=r((f,i)=>{i.exports=e("node:path")});var x=r((g,o)=>{o.exports=e("node:child_process")});var a=r((h,p)=>{p.exports=e("node:url")});var b=r((j,q)=>{q.exports=e("node:fs/promises")});var c=r((k,s)=>{s.exports=e("node:os")});var d=r((l,t)=>{t.exports=e("node:fs")});export{c as a,d as b,u as c,x as d,a as e,b as f};
