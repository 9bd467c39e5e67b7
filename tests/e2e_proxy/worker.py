"""One app worker as `make run` starts it in production (granian, the built pages served beside the backend), but
serving a frontend built once beforehand, so that several workers share one build: `python -m tests.e2e_proxy.worker
PORT`, with the run's settings in the environment."""

import sys

from reflex import constants
from reflex.environment import environment
from reflex.utils import exec as reflex_exec


def main(port: int) -> None:
    """Serve the app on 127.0.0.1:`port` until killed."""
    environment.REFLEX_ENV_MODE.set(constants.Env.PROD)
    environment.REFLEX_SKIP_COMPILE.set(True)  # the build is done; a worker only serves it
    reflex_exec.run_backend_prod("127.0.0.1", port, constants.LogLevel.WARNING, mount_frontend_compiled_app=True)


if __name__ == "__main__":
    main(int(sys.argv[1]))
