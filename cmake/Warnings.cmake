# Our own code builds with every warning that catches real bugs, as errors.
# Third-party headers come in as SYSTEM includes and are not affected.
function(mqttsim_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wconversion -Werror)
endfunction()
