// Time limit exceeded: makes one guess, reads the reply, then spins forever (CPU time).
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;

public class Spin {
    static volatile long counter;

    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        System.out.println(500);
        System.out.flush();
        in.readLine();
        while (true) counter++;
    }
}
