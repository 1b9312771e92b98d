"""``python -m ffasr_eval.hub --data DIR (--port N | --fd FD)``: serve the embedded Hub."""

from ffasr_eval.hub._serve import main

main()
