export const id = 188;
export const ids = [188];
export const modules = {

/***/ 9188:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   toYaml: () => (/* binding */ toYaml)
/* harmony export */ });
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8815);
/**
 * The Job as YAML, for the dry-run preview. A module of its own so run-job.ts can load it (and the
 * yaml library) only for a dry run: importing the CommonJS library itself lazily would leave the
 * bundle with its default export only.
 */

function toYaml(value) {
    return (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .stringify */ .As)(value);
}


/***/ })

};
