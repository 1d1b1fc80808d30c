# The two commands of the README:
#   make book   build the HTML book (every notebook executed) into _build/html
#   make test   run every test: library, notebooks (nbval), book build, browser
# Both create the virtual environment .venv from requirements.txt on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-requirements

# One BLAS thread: sums are added in the same order on every machine.
export OPENBLAS_NUM_THREADS := 1
export OMP_NUM_THREADS := 1
export MKL_NUM_THREADS := 1

.PHONY: book test lab execute install clean

install: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Python >= 3.11 is required, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

# jupyter-cache re-executes a notebook only when its code changed; a change
# to optlib changes what every notebook shows, so it empties the cache.
book: $(STAMP)
	@mkdir -p _build
	@digest=$$(find optlib -name '*.py' | LC_ALL=C sort | xargs cat | sha256sum | cut -d' ' -f1); \
	if [ "$$(cat _build/.optlib-digest 2>/dev/null)" != "$$digest" ]; then \
		rm -rf _build/.jupyter_cache; echo "$$digest" > _build/.optlib-digest; \
	fi
	$(BIN)/jupyter-book build . --builder html
	@echo "The book is in _build/html/index.html"

test: $(STAMP)
	$(BIN)/python -m pytest

# Open the chapters in JupyterLab (widgets work there). Jupyter refuses to start
# as root unless told to; in a container or a Codespace root is often the only
# user, so --allow-root is passed then, and only then. LAB_ARGS adds options,
# e.g. make lab LAB_ARGS="--ip=0.0.0.0 --no-browser" to reach it from outside a container.
LAB_UID  := $(shell id -u)
LAB_ARGS ?=
lab: $(STAMP)
	$(BIN)/jupyter lab chapters $(if $(filter 0,$(LAB_UID)),--allow-root) $(LAB_ARGS)

# Re-run one chapter top to bottom and store its outputs: make execute NB=chapters/03_landscape/error_surface.ipynb
# The live widgets' state is not kept: the book shows the static fallback instead.
execute: $(STAMP)
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace --ExecutePreprocessor.timeout=120 $(NB)
	$(BIN)/python -c "import sys, nbformat; nb = nbformat.read(sys.argv[1], 4); nb.metadata.pop('widgets', None); nbformat.write(nb, sys.argv[1])" $(NB)

clean:
	rm -rf _build
