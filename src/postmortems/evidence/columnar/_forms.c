/* The coarse form of log messages, numbered: the hot loop of the columnar engine in C.
 *
 * The coarse form of a message is the message with every token holding a digit replaced by
 * "#" (a token: a maximal run of [A-Za-z0-9_.:/@%+-]), as ``shapes._DIGIT_TOKENS`` does in
 * Python. Rust's regex replace does this at about 100 MB/s per core, which alone is slower
 * than the whole budget of a gather; this scan does it in one pass and numbers the forms in
 * a dictionary shared across blocks, so the rest of the engine joins integers, not strings.
 * ``forms.py`` has the same function in Python (polars) for an install without this module;
 * the tests check the two agree.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

/* 1: a token character; 3: a digit (a token character that makes the token variable). */
static unsigned char kind_of[256];

static void
fill_kinds(void)
{
    const char *others = "_.:/@%+-";
    for (int c = 'A'; c <= 'Z'; c++) kind_of[c] = 1;
    for (int c = 'a'; c <= 'z'; c++) kind_of[c] = 1;
    for (int c = '0'; c <= '9'; c++) kind_of[c] = 3;
    for (const char *p = others; *p; p++) kind_of[(unsigned char)*p] = 1;
}

/* Writes the coarse form of text[0:size] to out (at least size bytes); returns its length. */
static Py_ssize_t
coarse_of(const unsigned char *text, Py_ssize_t size, unsigned char *out)
{
    Py_ssize_t i = 0, n = 0;
    while (i < size) {
        unsigned char kind = kind_of[text[i]];
        if (!kind) {
            out[n++] = text[i++];
            continue;
        }
        Py_ssize_t j = i;
        unsigned char all = 0;
        while (j < size && (kind = kind_of[text[j]]) != 0) {
            all |= kind;
            j++;
        }
        if (all & 2) {
            out[n++] = '#';
        } else {
            memcpy(out + n, text + i, (size_t)(j - i));
            n += j - i;
        }
        i = j;
    }
    return n;
}

PyDoc_STRVAR(number_doc,
"number(messages, forms, added) -> (ids, firsts)\n\n"
"messages: str, the messages joined by newlines (each message is one line).\n"
"forms: dict of coarse form (UTF-8 bytes) to its number; new forms are numbered\n"
"len(forms), len(forms) + 1, ... in order of first appearance and appended to the\n"
"list added. Returns the number of each message's form and the indexes of the\n"
"messages that brought a new form.");

static PyObject *
number(PyObject *self, PyObject *args)
{
    PyObject *text, *forms, *added;
    if (!PyArg_ParseTuple(args, "UO!O!:number", &text, &PyDict_Type, &forms, &PyList_Type,
                          &added)) {
        return NULL;
    }
    Py_ssize_t size;
    const char *data = PyUnicode_AsUTF8AndSize(text, &size);
    if (data == NULL) {
        return NULL;
    }
    const unsigned char *bytes = (const unsigned char *)data;
    Py_ssize_t lines = 1;
    for (const char *p = data; (p = memchr(p, '\n', (size_t)(data + size - p))) != NULL; p++) {
        lines++;
    }
    PyObject *ids = PyList_New(lines);
    PyObject *firsts = PyList_New(0);
    unsigned char *out = PyMem_Malloc((size_t)size + 1);
    if (ids == NULL || firsts == NULL || out == NULL) {
        goto error;
    }
    Py_ssize_t start = 0;
    for (Py_ssize_t row = 0; row < lines; row++) {
        const unsigned char *end = memchr(bytes + start, '\n', (size_t)(size - start));
        Py_ssize_t stop = end ? (Py_ssize_t)(end - bytes) : size;
        Py_ssize_t length = coarse_of(bytes + start, stop - start, out);
        start = stop + 1;
        PyObject *key = PyBytes_FromStringAndSize((const char *)out, length);
        if (key == NULL) {
            goto error;
        }
        PyObject *id = PyDict_GetItemWithError(forms, key);
        if (id != NULL) {
            Py_INCREF(id);
        } else if (PyErr_Occurred()) {
            Py_DECREF(key);
            goto error;
        } else {
            id = PyLong_FromSsize_t(PyDict_GET_SIZE(forms));
            PyObject *where = PyLong_FromSsize_t(row);
            int failed = id == NULL || where == NULL || PyDict_SetItem(forms, key, id) < 0 ||
                         PyList_Append(added, key) < 0 || PyList_Append(firsts, where) < 0;
            Py_XDECREF(where);
            if (failed) {
                Py_XDECREF(id);
                Py_DECREF(key);
                goto error;
            }
        }
        Py_DECREF(key);
        PyList_SET_ITEM(ids, row, id);
    }
    PyMem_Free(out);
    PyObject *result = PyTuple_Pack(2, ids, firsts);
    Py_DECREF(ids);
    Py_DECREF(firsts);
    return result;
error:
    PyMem_Free(out);
    Py_XDECREF(ids);
    Py_XDECREF(firsts);
    return NULL;
}

static PyMethodDef methods[] = {
    {"number", number, METH_VARARGS, number_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_forms", "Coarse forms of log messages, numbered (see _forms.c).",
    -1, methods,
};

PyMODINIT_FUNC
PyInit__forms(void)
{
    fill_kinds();
    return PyModule_Create(&module);
}
