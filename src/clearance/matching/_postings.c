/*
 * The postings merge of clearance.matching.index, in C (built by `make compile`).
 *
 * best_keys(ids, scales, spans, weights, limit, above) -> list[int]
 *
 *   ids      int32 buffer: key ids, each span sorted ascending (NameIndex.post_by_id)
 *   scales   float64 buffer beside ids: 1/sqrt(weight) of each posting's key
 *   spans    list of (start, end): the runs of ids to merge, one per query word
 *   weights  list of float: what a key gains from each span it appears in
 *   limit    how many keys to return
 *   above    a key counts only when its summed weight is > above
 *
 * Returns the `limit` keys of highest rank (summed weight x scale), best first, equal ranks
 * in ascending key order: what NameIndex.candidates computes with numpy (concatenation, a
 * stable argsort, np.add.reduceat and _best), in one pass over the postings into a hash
 * table instead of a dozen array operations.
 *
 * A key's weights are summed as np.add.reduceat sums them, so both paths give the same
 * floating-point ranks: the first weight, plus numpy's pairwise sum of the rest (in span
 * order; a stable sort keeps equal keys in the order of their spans). Up to 8 of the rest
 * that sum is sequential; the rare key met more often is summed again the numpy way.
 *
 * Arguments are checked before anything is read: a buffer of another type, shape or layout
 * (or not C-contiguous), or lists of the wrong type, raise TypeError; ids and scales of
 * different lengths, spans and weights of different counts, a negative limit, ids of a span
 * out of order or negative, more than 2**30 postings, ValueError; a span outside the ids,
 * IndexError; a failed allocation, MemoryError.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* One key met in the spans: its weights so far (the first, and the sum of the rest in span
 * order, as numpy sums up to 8 of them), its scale, and its slot in the table. */
typedef struct {
    int32_t key;
    int32_t count;
    int32_t slot;
    double first;
    double rest;
    double scale;
} Entry;

/* An open-addressing table of the keys met: per slot a key (-1: empty) and its entry. Slots
 * are 8 bytes, so the probes of a merge stay in the CPU's cache; the entries are written in
 * order. Kept between calls and cleared slot by slot: one per process (best_keys holds the
 * GIL throughout, so calls never share it; a forked worker writes its own copy). */
typedef struct {
    int32_t key;
    int32_t entry;
} Slot;

static Slot *table = NULL;
/* At most this many postings per merge: slots and entries are indexed by 32-bit ints. */
#define MAX_POSTINGS ((Py_ssize_t)1 << 30)
static Py_ssize_t table_size = 0; /* a power of two: the largest merge so far needed */
static Entry *entries = NULL;     /* table_size / 2 of them */

/* A table size for this many postings (at most half full), and room for it. Returns the
 * size, or -1 (no memory). A merge uses the start of the table only, sized for it. */
static Py_ssize_t reserve(Py_ssize_t postings) {
    Py_ssize_t want = 1024;
    while (want < 2 * postings) {
        want *= 2;
    }
    if (want <= table_size) {
        return want;
    }
    Slot *bigger = PyMem_Malloc(sizeof(Slot) * (size_t)want);
    Entry *more = PyMem_Malloc(sizeof(Entry) * (size_t)(want / 2));
    if (!bigger || !more) {
        PyMem_Free(bigger);
        PyMem_Free(more);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < want; i++) {
        bigger[i].key = -1;
    }
    PyMem_Free(table);
    PyMem_Free(entries);
    table = bigger;
    entries = more;
    table_size = want;
    return want;
}

/* numpy's pairwise summation (numpy/_core/src/umath/loops_utils.h.src), for n values. */
static double pairwise_sum(const double *a, Py_ssize_t n) {
    if (n < 8) {
        double res = -0.0;
        for (Py_ssize_t i = 0; i < n; i++) {
            res += a[i];
        }
        return res;
    }
    if (n <= 128) {
        double r[8];
        Py_ssize_t i;
        for (i = 0; i < 8; i++) {
            r[i] = a[i];
        }
        for (i = 8; i < n - (n % 8); i += 8) {
            r[0] += a[i + 0];
            r[1] += a[i + 1];
            r[2] += a[i + 2];
            r[3] += a[i + 3];
            r[4] += a[i + 4];
            r[5] += a[i + 5];
            r[6] += a[i + 6];
            r[7] += a[i + 7];
        }
        double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; i++) {
            res += a[i];
        }
        return res;
    }
    Py_ssize_t n2 = n / 2;
    n2 -= n2 % 8;
    return pairwise_sum(a, n2) + pairwise_sum(a + n2, n - n2);
}

/* Whether (rank a, key a) comes before (rank b, key b): higher rank first, then lower key. */
static inline int before(double rank_a, int32_t key_a, double rank_b, int32_t key_b) {
    return rank_a > rank_b || (rank_a == rank_b && key_a < key_b);
}

/* Offer (rank, key) to the best list, kept in order and at most `limit` long. */
static void offer(double *ranks, int32_t *keys, Py_ssize_t *count, Py_ssize_t limit,
                  double rank, int32_t key) {
    Py_ssize_t n = *count;
    if (n == limit) {
        if (!before(rank, key, ranks[n - 1], keys[n - 1])) {
            return;
        }
        n--;
    }
    Py_ssize_t at = n;
    while (at > 0 && before(rank, key, ranks[at - 1], keys[at - 1])) {
        ranks[at] = ranks[at - 1];
        keys[at] = keys[at - 1];
        at--;
    }
    ranks[at] = rank;
    keys[at] = key;
    *count = n + 1;
}

/* A key's weights in span order, found by binary search in each span: for the rare key met
 * more than 8 times, whose sum numpy makes pairwise. Returns how many, or -1 (no memory). */
static Py_ssize_t weights_of(int32_t key, const int32_t *ids, const Py_ssize_t *starts,
                             const Py_ssize_t *ends, const double *run_w, Py_ssize_t k,
                             double **out) {
    Py_ssize_t n = 0, cap = 16;
    double *found = PyMem_Malloc(sizeof(double) * (size_t)cap);
    if (!found) {
        return -1;
    }
    for (Py_ssize_t r = 0; r < k; r++) {
        Py_ssize_t lo = starts[r], hi = ends[r];
        while (lo < hi) {
            Py_ssize_t mid = lo + (hi - lo) / 2;
            if (ids[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        for (; lo < ends[r] && ids[lo] == key; lo++) {
            if (n == cap) {
                double *bigger = PyMem_Realloc(found, sizeof(double) * (size_t)(2 * cap));
                if (!bigger) {
                    PyMem_Free(found);
                    return -1;
                }
                found = bigger;
                cap *= 2;
            }
            found[n++] = run_w[r];
        }
    }
    *out = found;
    return n;
}

/* Whether a buffer's struct format is the native-order item `code` ('i' or 'd'): numpy
 * writes "i" and "d" for int32 and float64, "<i" or "=i" when told the byte order. */
static int format_is(const char *format, char code) {
    if (format == NULL) {
        format = "B"; /* what a NULL format means (PEP 3118) */
    }
    const int little = PY_LITTLE_ENDIAN;
    if (format[0] == '@' || format[0] == '=' || (format[0] == '<' && little) ||
        (format[0] == '>' && !little)) {
        format++;
    }
    if (format[0] != '\0' && format[1] != '\0') {
        return 0;
    }
    return format[0] == code || (code == 'i' && format[0] == 'l' && sizeof(long) == 4);
}

/* A read-only view of `obj` as a C-contiguous 1-d array of `code` items (`itemsize` bytes).
 * Returns 0, or -1 with a TypeError naming the argument. */
static int get_buffer(PyObject *obj, Py_buffer *view, char code, Py_ssize_t itemsize,
                      const char *what) {
    if (PyObject_GetBuffer(obj, view, PyBUF_RECORDS_RO) < 0) {
        return -1; /* not a buffer: TypeError */
    }
    if (view->ndim != 1 || view->itemsize != itemsize || !format_is(view->format, code) ||
        !PyBuffer_IsContiguous(view, 'C')) {
        PyErr_Format(PyExc_TypeError,
                     "best_keys: %s must be a C-contiguous 1-d array of %s (got %d-d, "
                     "format '%s', %zd-byte items%s)",
                     what, code == 'i' ? "int32" : "float64", view->ndim,
                     view->format ? view->format : "B", view->itemsize,
                     PyBuffer_IsContiguous(view, 'C') ? "" : ", not contiguous");
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

static PyObject *best_keys(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 6) {
        PyErr_Format(PyExc_TypeError,
                     "best_keys(ids, scales, spans, weights, limit, above) takes 6 arguments "
                     "(%zd given)",
                     nargs);
        return NULL;
    }
    if (!PyList_Check(args[2]) || !PyList_Check(args[3])) {
        PyErr_SetString(PyExc_TypeError, "best_keys: spans and weights must be lists");
        return NULL;
    }
    /* Copies of the lists: reading the arguments may run Python code (__index__, __float__),
     * which must not change what is read. */
    PyObject *spans = PyList_AsTuple(args[2]);
    PyObject *weights = spans ? PyList_AsTuple(args[3]) : NULL;
    if (!weights) {
        Py_XDECREF(spans);
        return NULL;
    }
    PyObject *result = NULL;
    Py_buffer ids_view = {0}, scales_view = {0}; /* releasing an unfilled view does nothing */
    Py_ssize_t *starts = NULL, *ends = NULL;
    double *run_w = NULL, *best_rank = NULL;
    int32_t *best_key = NULL;
    Py_ssize_t n_used = 0, count = 0;
    Py_ssize_t limit = PyNumber_AsSsize_t(args[4], NULL); /* a huge limit: all keys */
    if (limit == -1 && PyErr_Occurred()) {
        goto done;
    }
    double above = PyFloat_AsDouble(args[5]);
    if (above == -1.0 && PyErr_Occurred()) {
        goto done;
    }
    if (limit < 0) {
        PyErr_Format(PyExc_ValueError, "best_keys: limit must be >= 0, not %zd", limit);
        goto done;
    }
    if (PyTuple_GET_SIZE(spans) != PyTuple_GET_SIZE(weights)) {
        PyErr_Format(PyExc_ValueError, "best_keys: %zd spans but %zd weights",
                     PyTuple_GET_SIZE(spans), PyTuple_GET_SIZE(weights));
        goto done;
    }
    if (get_buffer(args[0], &ids_view, 'i', 4, "ids") < 0 ||
        get_buffer(args[1], &scales_view, 'd', 8, "scales") < 0) {
        goto done;
    }
    const int32_t *ids = (const int32_t *)ids_view.buf;
    const double *scales = (const double *)scales_view.buf;
    const Py_ssize_t n_ids = ids_view.shape[0];
    if (scales_view.shape[0] != n_ids) {
        PyErr_Format(PyExc_ValueError, "best_keys: %zd ids but %zd scales", n_ids,
                     scales_view.shape[0]);
        goto done;
    }
    /* per span: start, end and weight */
    const Py_ssize_t k = PyTuple_GET_SIZE(spans);
    starts = PyMem_New(Py_ssize_t, k + 1);
    ends = PyMem_New(Py_ssize_t, k + 1);
    run_w = PyMem_New(double, k + 1);
    if (!starts || !ends || !run_w) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t postings = 0;
    for (Py_ssize_t r = 0; r < k; r++) {
        PyObject *span = PyTuple_GET_ITEM(spans, r);
        if (!PyTuple_Check(span) || PyTuple_GET_SIZE(span) != 2) {
            PyErr_Format(PyExc_TypeError,
                         "best_keys: spans[%zd] must be a (start, end) tuple, not %.80s", r,
                         Py_TYPE(span)->tp_name);
            goto done;
        }
        Py_ssize_t start = PyNumber_AsSsize_t(PyTuple_GET_ITEM(span, 0), PyExc_OverflowError);
        if (start == -1 && PyErr_Occurred()) {
            goto done;
        }
        Py_ssize_t stop = PyNumber_AsSsize_t(PyTuple_GET_ITEM(span, 1), PyExc_OverflowError);
        if (stop == -1 && PyErr_Occurred()) {
            goto done;
        }
        run_w[r] = PyFloat_AsDouble(PyTuple_GET_ITEM(weights, r));
        if (run_w[r] == -1.0 && PyErr_Occurred()) {
            goto done;
        }
        if (start < 0 || stop > n_ids || start > stop) {
            PyErr_Format(PyExc_IndexError, "best_keys: spans[%zd] = (%zd, %zd) is outside 0..%zd",
                         r, start, stop, n_ids);
            goto done;
        }
        if (stop - start > MAX_POSTINGS - postings) {
            PyErr_Format(PyExc_ValueError, "best_keys: more than %ld postings to merge",
                         (long)MAX_POSTINGS);
            goto done;
        }
        starts[r] = start;
        ends[r] = stop;
        postings += stop - start;
    }
    Py_ssize_t size = reserve(postings);
    if (size < 0) {
        goto done;
    }
    /* the best list: never longer than the keys met */
    if (limit > postings) {
        limit = postings;
    }
    best_rank = PyMem_New(double, limit > 0 ? limit : 1);
    best_key = PyMem_New(int32_t, limit > 0 ? limit : 1);
    if (!best_rank || !best_key) {
        PyErr_NoMemory();
        goto done;
    }
    /* Each key's weights, span by span (the order numpy's stable sort leaves them in). */
    const size_t mask = (size_t)size - 1;
    int shift = 32;
    for (Py_ssize_t at = size; at > 1; at >>= 1) {
        shift--; /* 32 - log2(size): the product's top bits pick the slot (Fibonacci hashing) */
    }
    for (Py_ssize_t r = 0; r < k; r++) {
        const double w = run_w[r];
        int32_t previous = 0; /* keys are >= 0 (-1 marks an empty slot) and ascending */
        for (Py_ssize_t at = starts[r]; at < ends[r]; at++) {
            const int32_t key = ids[at];
            if (key < previous) {
                PyErr_Format(PyExc_ValueError,
                             "best_keys: ids[%zd] = %ld: the ids of each span must be "
                             "ascending and >= 0",
                             at, (long)key);
                goto done;
            }
            previous = key;
            size_t h = ((uint32_t)key * 2654435769u) >> shift;
            while (table[h].key != -1 && table[h].key != key) {
                h = (h + 1) & mask;
            }
            if (table[h].key == -1) {
                table[h].key = key;
                table[h].entry = (int32_t)n_used;
                Entry *entry = &entries[n_used++];
                entry->key = key;
                entry->count = 1;
                entry->slot = (int32_t)h;
                entry->first = w;
                entry->rest = -0.0;
                entry->scale = scales[at];
            } else {
                Entry *entry = &entries[table[h].entry];
                entry->count++;
                entry->rest += w;
            }
        }
    }
    for (Py_ssize_t i = 0; i < n_used; i++) {
        const Entry *entry = &entries[i];
        double total = entry->first;
        if (entry->count > 8) { /* 8 or more after the first: numpy sums those pairwise */
            double *all = NULL;
            Py_ssize_t n = weights_of(entry->key, ids, starts, ends, run_w, k, &all);
            if (n < 0) {
                PyErr_NoMemory();
                goto done;
            }
            /* n == entry->count: the spans are ascending (checked above) */
            total = all[0] + pairwise_sum(all + 1, n - 1);
            PyMem_Free(all);
        } else if (entry->count > 1) {
            total += entry->rest;
        }
        if (total > above && limit > 0) {
            offer(best_rank, best_key, &count, limit, total * entry->scale, entry->key);
        }
    }
    result = PyList_New(count);
    if (result) {
        for (Py_ssize_t i = 0; i < count; i++) {
            PyObject *value = PyLong_FromLong(best_key[i]);
            if (!value) {
                Py_CLEAR(result);
                break;
            }
            PyList_SET_ITEM(result, i, value);
        }
    }
done:
    for (Py_ssize_t i = 0; i < n_used; i++) {
        table[entries[i].slot].key = -1;
    }
    PyMem_Free(starts);
    PyMem_Free(ends);
    PyMem_Free(run_w);
    PyMem_Free(best_rank);
    PyMem_Free(best_key);
    PyBuffer_Release(&ids_view);
    PyBuffer_Release(&scales_view);
    Py_XDECREF(spans);
    Py_XDECREF(weights);
    return result;
}

static PyMethodDef methods[] = {
    {"best_keys", (PyCFunction)(void (*)(void))best_keys, METH_FASTCALL,
     "best_keys(ids, scales, spans, weights, limit, above) -> list[int]\n\n"
     "The `limit` keys of highest summed weight x scale over the merged spans, best first."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_postings",
    .m_doc = "The postings merge of clearance.matching.index.",
    .m_size = -1,
    .m_methods = methods,
};

PyMODINIT_FUNC PyInit__postings(void) { return PyModule_Create(&module); }
